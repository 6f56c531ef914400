// What other folders read from the PKI module through this barrel: keystores and eHealth subjects. The test CA, the
// trust store and the verifier are imported from their own files.
export { formatSubject, identityFromSubject } from './ehealth-subject.js';
export { loadP12 } from './pkcs12.js';
