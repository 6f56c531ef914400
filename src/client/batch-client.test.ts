import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseKmehr } from '../kmehr/parse-kmehr.js';
import { buildBatchMessage } from '../kmehr/testing/message-builder.js';
import { writeKmehr } from '../kmehr/write-kmehr.js';
import { extractBatchRequestStream } from '../soap/envelope/extract-batch-request-stream.js';
import { readBatchRequest } from '../soap/envelope/read-batch-request.js';
import { writeDeliveryResponse, writeResultResponse, type FolderResult } from '../contracts/write-batch-response.js';
import { batchAction } from '../contracts/operations.js';
import { signEnvelope } from '../wssec/sign-envelope.js';
import { makeTestCredentials, type TestCredentials } from '../wssec/testing/test-credentials.js';
import { createWsSecurityStreamVerifier, verifyWsSecurity } from '../wssec/verify-ws-security.js';
import { BatchClient, BATCH_UPLOAD_PATH } from './batch-client.js';
import { deliveryEnvelope, resultEnvelope, stripXmlDeclaration } from './batch-requests.js';
import { readDeliveryResponse, readResultResponse } from './batch-responses.js';
import { fileDeliveryEnvelope } from './batch-signed-envelope.js';
import { generateBatchFile } from './batch-generate.js';
import { SoapFaultError } from './registratie-responses.js';

const kmehr = writeKmehr(buildBatchMessage(3, 2));
const dir = mkdtempSync(path.join(tmpdir(), 'vaccinnet-batch-client-'));
let creds: TestCredentials;

beforeAll(async () => {
  creds = await makeTestCredentials('batch client test');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of chunks) parts.push(c);
  return Buffer.concat(parts);
}

describe('request envelopes, read by the server reader', () => {
  it('Aanleveren carries extraInfo and the KMEHR inline (no base64, no XML declaration)', () => {
    const env = deliveryEnvelope('Aanleveren', kmehr, { pakket: 'acme_hospital' });
    expect(env).not.toContain('<?xml');
    const read = readBatchRequest(Buffer.from(env), `"${batchAction('Aanleveren')}"`);
    expect(read.ok).toBe(true);
    if (!read.ok || read.request.operation === 'ResultaatVerwerking') throw new Error('not a delivery');
    expect(read.request.extraInfo).toEqual({ type: 'auth_eHealth_org', pakket: 'acme_hospital' });
    const parsed = parseKmehr(read.request.kmehr);
    const original = parseKmehr(kmehr);
    expect(parsed.ok && original.ok && parsed.message).toEqual(original.ok && original.message);
  });

  it('Aanvulling with another type, signed, verifies and reads back', () => {
    const env = signEnvelope(deliveryEnvelope('Aanvulling', Buffer.from(kmehr), { pakket: 'p&q', type: 'x' }), creds);
    expect(verifyWsSecurity(env, { now: new Date() }).ok).toBe(true);
    const read = readBatchRequest(Buffer.from(env), batchAction('Aanvulling'));
    expect(read.ok && read.request.operation).toBe('Aanvulling');
    expect(read.ok && 'extraInfo' in read.request && read.request.extraInfo).toEqual({ type: 'x', pakket: 'p&q' });
  });

  it('ResultaatVerwerking carries requestId and gebruikersId', () => {
    const read = readBatchRequest(Buffer.from(resultEnvelope({ requestId: 'd-1', gebruikersId: 'UZ0001' })), batchAction('ResultaatVerwerking'));
    expect(read).toEqual({ ok: true, request: { operation: 'ResultaatVerwerking', requestId: 'd-1', gebruikersId: 'UZ0001' } });
  });

  it('stripXmlDeclaration removes a BOM, the declaration and leading whitespace only', () => {
    expect(stripXmlDeclaration('\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n <a/>')).toBe('<a/>');
    expect(stripXmlDeclaration('<a/>')).toBe('<a/>');
  });
});

describe('a file delivery signed while streaming', () => {
  it('has a signature the streaming verifier accepts and a body the streaming extractor reads', async () => {
    const file = path.join(dir, 'batch.xml');
    writeFileSync(file, `\uFEFF${kmehr}\n`);
    const env = await fileDeliveryEnvelope('Aanleveren', file, { pakket: 'acme_hospital' }, creds);
    const bytes = await collect(env.chunks());
    expect(bytes.length).toBe(env.contentLength);
    const verifier = createWsSecurityStreamVerifier({ now: new Date() });
    for (let i = 0; i < bytes.length; i += 1000) verifier.write(bytes.subarray(i, i + 1000));
    const verdict = verifier.end();
    expect(verdict.ok).toBe(true);
    const sink = new PassThrough();
    const parts: Buffer[] = [];
    sink.on('data', (c: Buffer) => parts.push(c));
    const read = await extractBatchRequestStream(
      (async function* () {
        yield bytes;
      })(),
      sink,
      { soapAction: batchAction('Aanleveren') },
    );
    sink.end();
    expect(read.ok).toBe(true);
    const parsed = parseKmehr(Buffer.concat(parts));
    expect(parsed.ok && parsed.message.folders.length).toBe(3);
  });

  it('signs multi-byte characters and CRLF line ends the way the server verifier reads them', async () => {
    const file = path.join(dir, 'accents.xml');
    writeFileSync(file, kmehr.replaceAll('Peeters', 'Pèéters—Ünal &amp; Zoë').replaceAll('><', '>\r\n<'));
    const env = await fileDeliveryEnvelope('Aanvulling', file, { pakket: 'acme_hospital' }, creds);
    const bytes = await collect(env.chunks());
    const verifier = createWsSecurityStreamVerifier({ now: new Date() });
    // Odd-sized pieces split the multi-byte characters between writes.
    for (let i = 0; i < bytes.length; i += 777) verifier.write(bytes.subarray(i, i + 777));
    expect(verifier.end().ok).toBe(true);
  });

  it('signs a large file with a heap that does not grow with it', async () => {
    const file = path.join(dir, 'large.xml');
    const made = await generateBatchFile(file, {
      patients: 16_000,
      doses: 32_000,
      sender: { userCode: 'UZ0001', nihii: '71000436', name: 'AZ', doctorNihii: '14700250004' },
    });
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
    const env = await fileDeliveryEnvelope('Aanleveren', file, { pakket: 'acme_hospital' }, creds);
    const verifier = createWsSecurityStreamVerifier({ now: new Date() });
    let sent = 0;
    for await (const c of env.chunks()) {
      sent += c.length;
      verifier.write(c);
    }
    clearInterval(timer);
    expect(verifier.end().ok).toBe(true);
    expect(sent).toBe(env.contentLength);
    expect(made.bytes).toBeGreaterThan(38_000_000);
    // ~40 MB of message: holding it as a string (UTF-16, ~80 MB) plus its canonical form would add well over 100 MB.
    // The bound leaves room for garbage a loaded machine has not collected yet (40 MB was exceeded once at load 10).
    expect(peak - before).toBeLessThan(60 * 1024 * 1024);
  }, 120_000);

  it('a changed byte in the file breaks the signature', async () => {
    const file = path.join(dir, 'tampered.xml');
    writeFileSync(file, kmehr);
    const env = await fileDeliveryEnvelope('Aanleveren', file, { pakket: 'acme_hospital' }, creds);
    writeFileSync(file, kmehr.replace('Peeters', 'Peeterz'));
    const verdict = verifyWsSecurity(await collect(env.chunks()), { now: new Date() });
    expect(verdict.ok).toBe(false);
  });
});

describe('response readers, fed by the server writers', () => {
  it('reads an accepted and a refused delivery', () => {
    expect(readDeliveryResponse(writeDeliveryResponse('Aanleveren', { transactionId: 'abc' }))).toEqual({ accepted: true, transactionId: 'abc' });
    expect(readDeliveryResponse(writeDeliveryResponse('Aanvulling', { foutCode: 'SOFTWARE_ID', foutOmschrijving: 'nope <x>' }))).toEqual({
      accepted: false,
      foutCode: 'SOFTWARE_ID',
      foutOmschrijving: 'nope <x>',
    });
  });

  it('reads every folder and transaction of a result, ids with S/SL/SV', () => {
    const folders: FolderResult[] = [
      {
        ids: [{ S: 'ID-KMEHR', SV: '1.0', value: '1' }],
        patient: '85071412330',
        patientTekst: 'Jan Peeters',
        transactions: [
          {
            ids: [
              { S: 'ID-KMEHR', SV: '1.0', value: '1' },
              { S: 'LOCAL', SL: 'UUID', SV: '1.0', value: 'u-1' },
            ],
            resultCode: 'OK',
          },
          { ids: [{ S: 'LOCAL', SL: 'UUID', value: 'u-2' }], resultCode: 'COVID_LOT_MISSING', resultTekst: 'no lot' },
        ],
      },
      { ids: [{ S: 'ID-KMEHR', value: '2' }], patient: '50010100156', transactions: [{ ids: [{ S: 'ID-KMEHR', value: '1' }], resultCode: 'OK' }] },
    ];
    expect(readResultResponse(writeResultResponse(folders))).toEqual({
      kind: 'result',
      folders: [
        {
          ids: [{ s: 'ID-KMEHR', sv: '1.0', value: '1' }],
          patient: '85071412330',
          patientTekst: 'Jan Peeters',
          transactions: [
            {
              ids: [
                { s: 'ID-KMEHR', sv: '1.0', value: '1' },
                { s: 'LOCAL', sl: 'UUID', sv: '1.0', value: 'u-1' },
              ],
              resultCode: 'OK',
            },
            { ids: [{ s: 'LOCAL', sl: 'UUID', value: 'u-2' }], resultCode: 'COVID_LOT_MISSING', resultTekst: 'no lot' },
          ],
        },
        { ids: [{ s: 'ID-KMEHR', value: '2' }], patient: '50010100156', transactions: [{ ids: [{ s: 'ID-KMEHR', value: '1' }], resultCode: 'OK' }] },
      ],
    });
  });

  it('reads a fout answer and throws on a SOAP Fault', () => {
    expect(readResultResponse(writeResultResponse({ foutCode: 'BATCH_NOT_PROCESSED', foutOmschrijving: 'later' }))).toEqual({
      kind: 'fout',
      foutCode: 'BATCH_NOT_PROCESSED',
      foutOmschrijving: 'later',
    });
    const fault =
      '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Client</faultcode>' +
      '<faultstring>bad</faultstring><detail><code>SOAP_X</code></detail></s:Fault></s:Body></s:Envelope>';
    expect(() => readResultResponse(fault, 500)).toThrow(SoapFaultError);
    expect(() => readDeliveryResponse(fault, 500)).toThrow('bad');
  });
});

describe("BatchClient over HTTP against the server's own reader, verifier and writers", () => {
  let server: Server;
  let baseUrl: string;
  const seen: { path?: string; action?: string; verified?: boolean; kmehrBytes?: number }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const verifier = createWsSecurityStreamVerifier({ now: new Date() });
      const sink = new PassThrough();
      let kmehrBytes = 0;
      sink.on('data', (c: Buffer) => (kmehrBytes += c.length));
      const source = (async function* () {
        for await (const c of req) {
          verifier.write(c as Buffer);
          yield c as Buffer;
        }
      })();
      void extractBatchRequestStream(source, sink, { soapAction: req.headers.soapaction as string }).then((read) => {
        sink.end();
        const verified = verifier.end().ok;
        seen.push({ path: req.url!, action: req.headers.soapaction as string, verified, kmehrBytes });
        res.setHeader('content-type', 'text/xml');
        if (!read.ok) return res.end(writeDeliveryResponse('Aanleveren', { foutCode: read.finding.code, foutOmschrijving: 'refused' }));
        if (read.request.operation === 'ResultaatVerwerking') {
          return res.end(
            writeResultResponse([
              {
                ids: [{ S: 'ID-KMEHR', value: '1' }],
                patient: '85071412330',
                transactions: [{ ids: [{ S: 'LOCAL', SL: 'UUID', value: read.request.requestId }], resultCode: 'OK' }],
              },
            ]),
          );
        }
        return res.end(writeDeliveryResponse(read.request.operation, { transactionId: `tx-${read.request.operation}` }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address();
    baseUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('delivers in memory and from a file, supplements and fetches a result, all signed', async () => {
    const client = new BatchClient({ baseUrl, key: { ...creds } });
    const file = path.join(dir, 'client.xml');
    writeFileSync(file, kmehr);
    try {
      expect(await client.deliver(kmehr, { pakket: 'acme' })).toEqual({ accepted: true, transactionId: 'tx-Aanleveren' });
      expect(await client.supplement(kmehr, { pakket: 'acme' })).toEqual({ accepted: true, transactionId: 'tx-Aanvulling' });
      expect(await client.deliverFile(file, { pakket: 'acme', supplement: true })).toEqual({ accepted: true, transactionId: 'tx-Aanvulling' });
      const result = await client.result('u-9', 'UZ0001');
      expect(result.kind === 'result' && result.folders[0]!.transactions[0]!.ids[0]!.value).toBe('u-9');
    } finally {
      client.close();
    }
    expect(seen.map((s) => [s.path, s.action, s.verified])).toEqual([
      [BATCH_UPLOAD_PATH, `"${batchAction('Aanleveren')}"`, true],
      [BATCH_UPLOAD_PATH, `"${batchAction('Aanvulling')}"`, true],
      [BATCH_UPLOAD_PATH, `"${batchAction('Aanvulling')}"`, true],
      [BATCH_UPLOAD_PATH, `"${batchAction('ResultaatVerwerking')}"`, true],
    ]);
    expect(seen[2]!.kmehrBytes).toBeGreaterThan(kmehr.length - 100);
  });
});
