import { signEnvelope } from './sign-envelope.js';
import { makeTestCredentials } from './testing/test-credentials.js';
import { verifyWsSecurity } from './verify-ws-security.js';
const creds = await makeTestCredentials();
const kmehr = Buffer.from('<kmehrmessage>'.padEnd(2600, 'x')).toString('base64');
const env = '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:v="urn:v"><soapenv:Header/><soapenv:Body><v:A><v:M>' + kmehr + '</v:M></v:A></soapenv:Body></soapenv:Envelope>';
const now = new Date();
const signed = signEnvelope(env, creds, { now });
let t = performance.now(); let n = 0;
while (performance.now() - t < 3000) { verifyWsSecurity(signed, { now }); n++; }
console.log('ms', 3000 / n);
