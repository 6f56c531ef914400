import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getVaccinationsEnvelope } from '../client/registratie-requests.js';
import { loadP12 } from '../pki/pkcs12.js';
import { DEMO_PASSWORD } from './demo/demo-seed.js';
import { startRegistryWithLog, type RegistryWithLog } from './testing/registry-with-log.js';
import { DEMO_READABLE } from './demo/demo-access.js';

let t: RegistryWithLog;
const REGISTRATIE = '/VaccinnetUPL/wupl/VaccinationService-2_1';
const BATCH = '/VaccinnetUPL/wupl/UPLVaccinatieGegevens';

beforeAll(async () => {
  t = await startRegistryWithLog({ 'server.maxRequestBytes': 64 * 1024, 'server.maxDeliveryBytes': 64 * 1024 });
});
afterAll(async () => {
  await t?.close();
});

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  readonly socketLocalPort: number | undefined;
}

function request(agent: https.Agent, method: string, path: string, body?: Buffer, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${t.registry.url}${path}`,
      { method, agent, headers: { ...headers, ...(body && { 'content-length': String(body.length) }) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString(), socketLocalPort: res.socket?.localPort }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A SOAP envelope padded with whitespace to `size` bytes. */
function bigEnvelope(size: number): Buffer {
  const head = '<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>';
  const tail = '</soapenv:Body></soapenv:Envelope>';
  return Buffer.from(head + ' '.repeat(size - head.length - tail.length) + tail);
}

describe('early refusals of a large body on a pooled keep-alive connection (one socket)', () => {
  // The HTTP status comes from the catalogue (faultHttpStatus): 413 for XML_TOO_LARGE, SOAP 1.1's 500 otherwise.
  const cases: [string, string, string, number, number][] = [
    ['RegistratieService, 2 MB body over the limit', REGISTRATIE, 'text/xml', 2 * 1024 * 1024, 413],
    ['RegistratieService, 200 KB body over the limit', REGISTRATIE, 'text/xml', 200 * 1024, 413],
    ['RegistratieService, wrong content type', REGISTRATIE, 'application/octet-stream', 2 * 1024 * 1024, 500],
    ['BatchUpload, 2 MB delivery over the limit', BATCH, 'text/xml', 2 * 1024 * 1024, 413],
    ['BatchUpload, 200 KB delivery refused early', BATCH, 'text/xml', 200 * 1024, 413],
    ['BatchUpload, wrong content type', BATCH, 'application/octet-stream', 2 * 1024 * 1024, 500],
  ];
  for (const [name, path, type, size, status] of cases) {
    it(`${name}: the refusal arrives, its Connection header is true, and the next call on the pool succeeds`, async () => {
      // Dr. Peeters over mutual TLS: the call after the refusal is a real GetVaccinations that must succeed.
      const doctor = t.registry.demo!.certificates.find((c) => c.persona === 'peeters')!;
      const { privateKeyPem, certificatePem } = loadP12(doctor.p12Path, DEMO_PASSWORD);
      const agent = new https.Agent({ ca: t.registry.caPem, key: privateKeyPem, cert: certificatePem, keepAlive: true, maxSockets: 1 });
      try {
        const refused = await request(agent, 'POST', path, bigEnvelope(size), { 'content-type': type, soapaction: '""' });
        expect(refused.status).toBe(status);
        expect(refused.body).toContain('Fault');
        const next = await request(
          agent,
          'POST',
          REGISTRATIE,
          // Jan Vermeulen: the demo gave his consent and a link with Dr. Peeters, so the read is allowed (docs/access.md).
          Buffer.from(getVaccinationsEnvelope({ softwareId: doctor.softwareId, patientId: DEMO_READABLE.insz })),
          {
            'content-type': 'text/xml',
            soapaction: '"urn:be:fgov:ehealth:safe:vaccination:GetVaccinations"',
          },
        );
        expect(next.status).toBe(200);
        expect(next.body).toMatch(/<(\w+:)?Code>OK<\/(\w+:)?Code>/);
        // Truthful: "close" means a new connection was needed; "keep-alive" means the same one carried the next call.
        if (refused.headers.connection === 'close') expect(next.socketLocalPort).not.toBe(refused.socketLocalPort);
        else expect(next.socketLocalPort).toBe(refused.socketLocalPort);
        // A body up to 1 MiB is drained (the connection stays); a larger one is answered Connection: close.
        if (size > 1024 * 1024) expect(refused.headers.connection).toBe('close');
        if (size <= 1024 * 1024 && path === BATCH) expect(refused.headers.connection).toBe('keep-alive');
      } finally {
        agent.destroy();
      }
    });
  }
});
