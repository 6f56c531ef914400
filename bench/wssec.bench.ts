/**
 * WS-Security verification benchmark: our profile verifier vs xml-crypto on a 5 KB signed SOAP message, where the
 * time goes (scan, RSA), and streaming verification throughput on a 50 MB signed body.
 * Standalone: `npx tsx bench/wssec.bench.ts` (WSSEC_BENCH_SECONDS=… per measurement, default 2).
 */
import { sign, verify } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { signEnvelope } from '../src/wssec/sign-envelope.js';
import { bigSignedEnvelope } from '../src/wssec/testing/big-signed-envelope.js';
import { makeTestCredentials, type TestCredentials } from '../src/wssec/testing/test-credentials.js';
import { createWsSecurityStreamVerifier, verifyWsSecurity } from '../src/wssec/verify-ws-security.js';
import { NS } from '../src/wssec/ws-security-profile.js';
import { createXmlEventReader } from '../src/wssec/xml-event-reader.js';

const SECONDS = Number(process.env.WSSEC_BENCH_SECONDS ?? 2);

interface Rate {
  /** Calls per wall-clock second (what a client sees; depends on machine load). */
  readonly perSecond: number;
  /** CPU milliseconds per call (user + system of this process: robust when other processes share the cores). */
  readonly cpuMs: number;
}

/** Runs `fn` repeatedly for about `SECONDS` (after a short warm-up). */
function rate(fn: () => void): Rate {
  const warm = performance.now();
  while (performance.now() - warm < 200) fn();
  let n = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  while (performance.now() - start < SECONDS * 1000) {
    fn();
    n += 1;
  }
  const used = process.cpuUsage(cpu);
  return { perSecond: n / ((performance.now() - start) / 1000), cpuMs: (used.user + used.system) / 1000 / n };
}

/** A ~5 KB RegistratieService-like request: a base64 KMEHR message plus the usual fields. */
function fiveKbEnvelope(): string {
  const kmehr = Buffer.from('<kmehrmessage>'.padEnd(1150, 'x')).toString('base64');
  return (
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:v="http://www.vaccinnet.be/wupl/VaccinationService-2_1">' +
    '<soapenv:Header/><soapenv:Body><v:AddVaccinationsRequest><v:SoftwareId>taktik_medispring</v:SoftwareId>' +
    `<v:Messages><v:Message>${kmehr}</v:Message></v:Messages><v:DisableStockChange>false</v:DisableStockChange>` +
    '</v:AddVaccinationsRequest></soapenv:Body></soapenv:Envelope>'
  );
}

function xmlCryptoVerify(xml: string, creds: TestCredentials): boolean {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const verifier = new SignedXml({ publicCert: creds.certificatePem, getCertFromKeyInfo: () => null });
  verifier.loadSignature(doc.getElementsByTagNameNS(NS.ds, 'Signature')[0] as never);
  return verifier.checkSignature(xml);
}

export default async function wssecBench(): Promise<Record<string, unknown>> {
  const creds = await makeTestCredentials('bench');
  const now = new Date();
  const signed = signEnvelope(fiveKbEnvelope(), creds, { now });
  if (!verifyWsSecurity(signed, { now }).ok || !xmlCryptoVerify(signed, creds)) throw new Error('bench message does not verify');

  const ours = rate(() => verifyWsSecurity(signed, { now }));
  const xmlCrypto = rate(() => xmlCryptoVerify(signed, creds));
  const noop = { open() {}, close() {}, text() {}, processingInstruction() {} };
  const scanOnly = rate(() => {
    const s = createXmlEventReader(noop);
    s.write(signed);
    s.end();
  });
  const data = Buffer.from('x'.repeat(900));
  const sig = sign('sha256', data, creds.privateKeyPem);
  const publicKey = new (await import('node:crypto')).X509Certificate(creds.certificateDer).publicKey;
  const rsaOnly = rate(() => verify('sha256', data, publicKey, sig));
  const signing = rate(() => signEnvelope(fiveKbEnvelope(), creds, { now }));

  const big = bigSignedEnvelope(creds, 50 * 1024 * 1024, now);
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  let n = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const v = createWsSecurityStreamVerifier({ now });
  for (const chunk of big.chunks()) {
    v.write(chunk);
    if ((n += 1) % 64 === 0) rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }
  const streamOk = v.end().ok;
  const streamSeconds = (performance.now() - start) / 1000;
  const streamCpu = process.cpuUsage(cpu);
  const streamCpuSeconds = (streamCpu.user + streamCpu.system) / 1e6;

  const mb = (b: number): number => Math.round((b / 1024 / 1024) * 10) / 10;
  const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;
  return {
    message: { bytes: Buffer.byteLength(signed) },
    ours: { verificationsPerSecond: round(ours.perSecond), wallMsPerMessage: round(1000 / ours.perSecond, 3), cpuMsPerMessage: round(ours.cpuMs, 3) },
    xmlCrypto: {
      verificationsPerSecond: round(xmlCrypto.perSecond),
      wallMsPerMessage: round(1000 / xmlCrypto.perSecond, 3),
      cpuMsPerMessage: round(xmlCrypto.cpuMs, 3),
    },
    speedupCpu: round(xmlCrypto.cpuMs / ours.cpuMs),
    breakdownCpuMs: {
      scanOnly: round(scanOnly.cpuMs, 3),
      rsaVerify: round(rsaOnly.cpuMs, 3),
      signEnvelope: round(signing.cpuMs, 3),
    },
    streaming: {
      ok: streamOk,
      bodyMB: mb(big.bytes),
      seconds: round(streamSeconds, 2),
      mbPerSecond: round(big.bytes / 1024 / 1024 / streamSeconds),
      mbPerCpuSecond: round(big.bytes / 1024 / 1024 / streamCpuSeconds),
      rssGrowthMB: mb(rssPeak - rssBefore),
    },
    loadAverage: (await import('node:os')).loadavg().map((x) => round(x, 2)),
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await wssecBench(), null, 2));
}
