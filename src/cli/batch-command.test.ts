import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseKmehr } from '../kmehr/parse-kmehr.js';
import { KMEHR_XSD } from '../kmehr/test-paths.js';
import { createP12 } from '../pki/pkcs12.js';
import { TestCa } from '../pki/test-ca.js';
import { extractBatchRequestStream } from '../soap/envelope/extract-batch-request-stream.js';
import { writeDeliveryResponse, writeResultResponse, type FolderResult } from '../contracts/write-batch-response.js';
import { makeTestCredentials } from '../wssec/testing/test-credentials.js';
import { createWsSecurityStreamVerifier } from '../wssec/verify-ws-security.js';
import { registerBatchCommands } from './batch-command.js';
import { runCli, type CliRun } from './testing/run-cli.js';

const run = (args: readonly string[]): Promise<CliRun> => runCli(registerBatchCommands, args);

const dir = mkdtempSync(path.join(tmpdir(), 'vaccinnet-batch-cli-'));
const p12 = path.join(dir, 'org.p12');

/** What the fake endpoint received, and what it answers per requestId (the server's own reader and writers). */
interface Received {
  readonly action: string;
  readonly verified: boolean;
  readonly operation?: string;
  readonly pakket?: string;
  readonly kmehr?: string;
}
const received: Received[] = [];
const results = new Map<string, (FolderResult[] | { foutCode: string; foutOmschrijving: string })[]>();
let server: Server;
let url: string;

beforeAll(async () => {
  const creds = await makeTestCredentials('batch cli org');
  writeFileSync(p12, createP12({ privateKeyPem: creds.privateKeyPem, certificatePem: creds.certificatePem, password: 'pw' }));
  server = createServer((req, res) => {
    const verifier = createWsSecurityStreamVerifier({ now: new Date() });
    const sink = new PassThrough();
    const parts: Buffer[] = [];
    sink.on('data', (c: Buffer) => parts.push(c));
    const source = (async function* () {
      for await (const c of req) {
        verifier.write(c as Buffer);
        yield c as Buffer;
      }
    })();
    void extractBatchRequestStream(source, sink, { soapAction: req.headers.soapaction as string }).then((read) => {
      sink.end();
      const verified = verifier.end().ok;
      res.setHeader('content-type', 'text/xml');
      if (!read.ok) throw new Error(read.finding.code);
      const r = read.request;
      if (r.operation === 'ResultaatVerwerking') {
        received.push({ action: req.headers.soapaction as string, verified, operation: r.operation });
        const queue = results.get(r.requestId) ?? [{ foutCode: 'BATCH_REQUEST_UNKNOWN', foutOmschrijving: 'unknown' }];
        const next = queue.length > 1 ? queue.shift()! : queue[0]!;
        return res.end(writeResultResponse(next));
      }
      const kmehr = Buffer.concat(parts).toString('utf8');
      received.push({ action: req.headers.soapaction as string, verified, operation: r.operation, pakket: r.extraInfo.pakket, kmehr });
      if (r.extraInfo.pakket === 'foreign_software') {
        return res.end(writeDeliveryResponse(r.operation, { foutCode: 'PROFILE_SOFTWARE_ID', foutOmschrijving: 'softwareID of another organisation' }));
      }
      return res.end(writeDeliveryResponse(r.operation, { transactionId: `tx-${received.length}` }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  received.length = 0;
});

const conn = (): string[] => ['--p12', p12, '--password', 'pw', '--url', url];
const org = ['--user-code', 'UZ0001', '--org-nihii', '71000436', '--doctor-nihii', '14700250004'];

describe('vaccinnet batch generate', () => {
  it('writes an XSD-valid file with the asked counts', async () => {
    const file = path.join(dir, 'gen.xml');
    const r = await run(['batch', 'generate', '--patients', '3', '--doses', '5', '--out', file, ...org, '--seed', '3']);
    expect(r).toMatchObject({ code: 0, stdout: `${file}\n` });
    expect(r.stderr).toContain('5 vaccination(s)');
    execFileSync('xmllint', ['--noout', '--nonet', '--schema', KMEHR_XSD, file], { stdio: 'pipe' });
    const parsed = parseKmehr(readFileSync(file));
    expect(parsed.ok && parsed.message.folders.flatMap((f) => f.transactions).length).toBe(5);
  });

  it('refuses bad arguments with exit 2', async () => {
    expect((await run(['batch', 'generate', '--patients', '3', '--doses', '2'])).code).toBe(2);
    expect((await run(['batch', 'generate', '--patients', 'x', '--doses', '2'])).code).toBe(2);
    expect((await run(['batch', 'generate', '--patients', '1', '--doses', '2', '--covid-share', '3'])).code).toBe(2);
  });
});

describe('vaccinnet batch submit', () => {
  it('turns a CSV into a signed delivery and prints the labelled transaction id and the result command', async () => {
    const csv = path.join(dir, 'ok.csv');
    writeFileSync(
      csv,
      'insz;firstname;familyname;birthdate;sex;cnk;date;lot;local_id\n85071412330;Jan;Peeters;;;4293254;2026-01-05;FK1;u-1\n50010100156;Piet;Maes;;;1075712;2026-01-06;;u-2\n',
    );
    const r = await run(['batch', 'submit', ...conn(), '--software-id', 'acme_hospital', ...org, csv]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'transaction id: tx-1\n' +
        `fetch its per-vaccination result with: npx vaccinnet batch result tx-1 --p12 ${p12} --password … --url ${url} --user-code UZ0001 --wait\n`,
    );
    expect(r.stdout).not.toContain(' pw ');
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ verified: true, operation: 'Aanleveren', pakket: 'acme_hospital' });
    const parsed = parseKmehr(received[0]!.kmehr!);
    expect(parsed.ok && parsed.message.folders.map((f) => f.transactions[0]!.ids[1]!.value)).toEqual(['u-1', 'u-2']);
  });

  it('reports CSV row errors with line numbers and sends nothing (exit 1)', async () => {
    const csv = path.join(dir, 'bad.csv');
    writeFileSync(csv, 'insz,firstname,familyname,cnk,date,lot\n85071412330,Jan,Peeters,4293254,2026-01-05,FK1\n85071412331,Jan,X,123,2026-01-05,\n');
    const r = await run(['batch', 'submit', ...conn(), '--software-id', 'acme_hospital', ...org, csv]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('line 3, column insz (850714*****)');
    expect(r.stderr).toContain('line 3, column cnk (123)');
    expect(r.stderr).not.toContain('85071412331');
    expect(received).toHaveLength(0);
  });

  it('sends an XML file as a supplement, and prints a refusal with exit 1', async () => {
    const file = path.join(dir, 'gen.xml');
    expect((await run(['batch', 'submit', ...conn(), '--software-id', 'acme_hospital', '--supplement', file])).stdout).toMatch(/^transaction id: tx-1\n/);
    expect(received[0]).toMatchObject({ verified: true, operation: 'Aanvulling' });
    const refused = await run(['batch', 'submit', ...conn(), '--software-id', 'foreign_software', file]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('refused: PROFILE_SOFTWARE_ID — softwareID of another organisation');
  });

  it('--json prints one JSON object, accepted or refused, and nothing else on stdout', async () => {
    const file = path.join(dir, 'gen.xml');
    const sent = await run(['batch', 'submit', ...conn(), '--software-id', 'acme_hospital', '--json', file]);
    expect(sent.code).toBe(0);
    expect(JSON.parse(sent.stdout)).toEqual({ accepted: true, transactionId: 'tx-1' });
    const refused = await run(['batch', 'submit', ...conn(), '--software-id', 'foreign_software', '--json', file]);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toEqual({ accepted: false, foutCode: 'PROFILE_SOFTWARE_ID', foutOmschrijving: 'softwareID of another organisation' });
  });

  it('takes the organisation NIHII and name from an eHealth organisation certificate', async () => {
    const ca = await TestCa.create(path.join(dir, 'ca'));
    const issued = await ca.issue({
      subject: { kind: 'organisation', idType: 'NIHII-HOSPITAL', id: '71000436', name: 'AZ Voorbeeld' },
      password: 'pw2',
      outDir: dir,
    });
    const r = await run([
      'batch',
      'submit',
      '--p12',
      issued.p12Path!,
      '--password',
      'pw2',
      '--url',
      url,
      '--software-id',
      'acme_hospital',
      '--user-code',
      'UZ0001',
      '--doctor-nihii',
      '14700250004',
      path.join(dir, 'ok.csv'),
    ]);
    expect(r.code).toBe(0);
    const parsed = parseKmehr(received[0]!.kmehr!);
    expect(parsed.ok && parsed.message.header.senders[0]).toMatchObject({
      ids: [
        { s: 'LOCAL', value: 'UZ0001' },
        { s: 'ID-HCPARTY', value: '71000436' },
      ],
      name: 'AZ Voorbeeld',
    });
  });

  it('needs the sender for a CSV and an existing file (exit 2)', async () => {
    expect((await run(['batch', 'submit', ...conn(), '--software-id', 'a', path.join(dir, 'ok.csv')])).code).toBe(2);
    expect((await run(['batch', 'submit', ...conn(), '--software-id', 'a', path.join(dir, 'none.xml')])).code).toBe(2);
  });
});

const ok = (insz: string, ...locals: string[]): FolderResult => ({
  ids: [{ S: 'ID-KMEHR', SV: '1.0', value: '1' }],
  patient: insz,
  transactions: locals.map((l) => ({
    ids: [
      { S: 'ID-KMEHR', value: '1' },
      { S: 'LOCAL', SL: 'UUID', value: l },
    ],
    resultCode: 'OK',
  })),
});

describe('vaccinnet batch result', () => {
  it('prints a table with masked INSZ and a summary; exit 0 when all accepted', async () => {
    results.set('all-ok', [[ok('85071412330', 'u-1', 'u-2'), ok('50010100156', 'u-3')]]);
    const r = await run(['batch', 'result', 'all-ok', ...conn(), '--user-code', 'UZ0001']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('850714*****  u-1');
    expect(r.stdout).not.toContain('85071412330');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('2 person(s), 3 vaccination(s): 3 accepted, 0 refused');
  });

  it('exits 1 when any row was refused, and --json gives the same masked', async () => {
    const refused: FolderResult = {
      ...ok('50010100156'),
      transactions: [{ ids: [{ S: 'LOCAL', value: 'u-9' }], resultCode: 'COVID_LOT_MISSING', resultTekst: 'no lot' }],
    };
    results.set('mixed', [[ok('85071412330', 'u-1'), refused]]);
    const table = await run(['batch', 'result', 'mixed', ...conn(), '--user-code', 'UZ0001']);
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/500101\*{5}\s+u-9\s+COVID_LOT_MISSING\s+no lot/);
    expect(table.stdout).toContain('1 accepted, 1 refused');
    const json = await run(['batch', 'result', 'mixed', ...conn(), '--user-code', 'UZ0001', '--json']);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as { summary: unknown; folders: { patient: string }[] };
    expect(parsed.summary).toEqual({ accepted: 1, refused: 1 });
    expect(parsed.folders.map((f) => f.patient)).toEqual(['850714*****', '500101*****']);
  });

  it('a delivery that stopped part-way: its closing BATCH_PARTIAL folder is not counted as a person, the cause is shown, exit 1', async () => {
    const marker: FolderResult = {
      ids: [{ S: 'LOCAL', SL: 'vaccinnet-delivery-status', value: 'partial' }],
      patient: '',
      transactions: [
        {
          ids: [{ S: 'LOCAL', SL: 'vaccinnet-delivery-status', value: 'partial' }],
          resultCode: 'BATCH_PARTIAL',
          resultTekst: 'Only the first 1 transactions were processed',
        },
      ],
    };
    results.set('partial', [[ok('85071412330', 'u-1'), marker]]);
    const r = await run(['batch', 'result', 'partial', ...conn(), '--user-code', 'UZ0001']);
    expect(r.code).toBe(1);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('1 person(s), 1 vaccination(s): 1 accepted, 0 refused');
    expect(r.stdout).not.toContain('BATCH_PARTIAL');
    expect(r.stderr).toContain('processing stopped part-way: Only the first 1 transactions were processed');
    const json = await run(['batch', 'result', 'partial', ...conn(), '--user-code', 'UZ0001', '--json']);
    expect((JSON.parse(json.stdout) as { summary: unknown; partial: string }).summary).toEqual({ accepted: 1, refused: 0 });
    expect(json.code).toBe(1);
  });

  it('"not processed yet" exits 3; --wait polls until processed; other fouten exit 1', async () => {
    const later = { foutCode: 'BATCH_NOT_PROCESSED', foutOmschrijving: 'later' };
    results.set('slow', [later, later, [ok('85071412330', 'u-1')]]);
    const now = await run(['batch', 'result', 'slow', ...conn(), '--user-code', 'UZ0001']);
    expect(now.code).toBe(3);
    expect(now.stderr).toContain('not processed yet; ask again later or use --wait');
    const waited = await run(['batch', 'result', 'slow', ...conn(), '--user-code', 'UZ0001', '--wait']);
    expect(waited.code).toBe(0);
    expect(waited.stderr).toContain('not processed yet after');
    expect(waited.stdout).toContain('1 accepted, 0 refused');
    results.set('never', [later]);
    const gaveUp = await run(['batch', 'result', 'never', ...conn(), '--user-code', 'UZ0001', '--wait', '--timeout', '1']);
    expect(gaveUp.code).toBe(3);
    const unknown = await run(['batch', 'result', 'nope', ...conn(), '--user-code', 'UZ0001']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('BATCH_REQUEST_UNKNOWN');
  }, 20_000);

  it('exits 1 with a clear line when the registry cannot be reached', async () => {
    const r = await run(['batch', 'result', 'x', '--p12', p12, '--password', 'pw', '--url', 'http://127.0.0.1:1', '--user-code', 'U']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot reach the registry: ECONNREFUSED');
    expect(existsSync(p12)).toBe(true);
  });
});
