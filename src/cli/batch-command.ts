import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { BatchClient } from '../client/batch-client.js';
import { generateBatchFile } from '../client/batch-generate.js';
import type { BatchSender } from '../client/batch-parties.js';
import { NOT_PROCESSED_CODE, type FolderOutcome, type ResultAnswer } from '../client/batch-responses.js';
import { csvToKmehr, formatCsvErrors } from '../client/csv-to-kmehr.js';
import { SoapFaultError } from '../client/registratie-responses.js';
import { maskInsz } from '../status/mask-insz.js';
import { writeKmehr } from '../kmehr/write-kmehr.js';
import { loadP12, type P12Contents } from '../pki/pkcs12.js';
import { defaultCaFile, UsageError } from './client-options.js';
import { COMMAND_SUMMARIES } from './command-summaries.js';
import type { SetExitCode } from './commands.js';

/** Result codes that mean "stored" (warnings included). */
const ACCEPTED = new Set(['OK', 'OK_WITH_WARNINGS']);

/** Exit codes of `vaccinnet batch …`. */
export const BATCH_EXIT = Object.freeze({ ok: 0, refused: 1, usage: 2, notProcessed: 3 });

interface ConnectOptions {
  readonly p12: string;
  readonly password?: string;
  readonly url: string;
  readonly ca?: string;
  readonly mtls?: boolean;
}

interface SenderOptions {
  readonly userCode?: string;
  readonly orgNihii?: string;
  readonly orgCbe?: string;
  readonly orgName?: string;
  readonly orgType?: string;
  readonly doctorNihii?: string;
}

interface SubmitOptions extends ConnectOptions, SenderOptions {
  readonly softwareId: string;
  readonly supplement?: boolean;
  readonly type?: string;
  readonly json?: boolean;
}

interface ResultOptions extends ConnectOptions {
  readonly userCode: string;
  readonly wait?: boolean;
  readonly json?: boolean;
  readonly timeout: string;
}

interface GenerateOptions extends SenderOptions {
  readonly patients: string;
  readonly doses: string;
  readonly out?: string;
  readonly covidShare: string;
  readonly days: string;
  readonly seed?: string;
}

const out = (line: string): void => void process.stdout.write(`${line}\n`);
const err = (line: string): void => void process.stderr.write(`${line}\n`);

function connectOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--p12 <file>', 'the organisation eHealth keystore (.p12, key alias "authentication")')
    .option('--password <password>', 'the keystore password (or VACCINNET_P12_PASSWORD)')
    .option('--url <url>', 'registry base URL (default VACCINNET_URL or https://127.0.0.1:8443)')
    .option('--ca <file>', 'CA certificate of the server (default VACCINNET_CA or .vaccinnet/pki/ca.cert.pem)')
    .option('--mtls', 'authenticate with the TLS client certificate instead of a WS-Security signature');
}

function senderOptions(cmd: Command): Command {
  return cmd
    .option('--user-code <code>', "the organisation's Vaccinnet user code (sender LOCAL id)")
    .option('--org-nihii <nihii>', 'NIHII-8 of the organisation (default: from the certificate)')
    .option('--org-cbe <cbe>', 'enterprise number of the organisation when it has no NIHII (default: from the certificate)')
    .option('--org-name <name>', 'organisation name (default: from the certificate)')
    .option('--org-type <type>', 'CD-HCPARTY of the organisation', 'orghospital')
    .option('--doctor-nihii <nihii>', 'NIHII-11 of the responsible doctor (author of every vaccination)');
}

function positive(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a whole number ≥ 1, got ${value}`);
  return n;
}

function openKey(o: ConnectOptions): P12Contents {
  const password = o.password ?? process.env.VACCINNET_P12_PASSWORD;
  if (password === undefined) throw new UsageError('the keystore password is missing: --password or VACCINNET_P12_PASSWORD');
  if (!existsSync(o.p12)) throw new UsageError(`no such keystore: ${o.p12}`);
  return loadP12(readFileSync(o.p12), password);
}

function openBatchClient(o: ConnectOptions, key: P12Contents): BatchClient {
  const caFile = o.ca ?? defaultCaFile();
  return new BatchClient({
    baseUrl: o.url ?? process.env.VACCINNET_URL ?? 'https://127.0.0.1:8443',
    key,
    authentication: o.mtls ? 'mutual-tls' : 'signature',
    ...(caFile && { ca: readFileSync(caFile) }),
  });
}

/** Organisation identifier and name from an eHealth subject (`OU=NIHII-HOSPITAL=71000436`, `OU=<name>`). */
function organisationFromCertificate(key: P12Contents | undefined): { nihii?: string; cbe?: string; name?: string } {
  if (key === undefined) return {};
  const ous = new X509Certificate(key.certificateDer).subject
    .split('\n')
    .filter((l) => l.startsWith('OU='))
    .map((l) => l.slice(3));
  const id = ous.map((ou) => /^([A-Z][A-Z0-9_-]*)=(\d+)$/.exec(ou)).find((m) => m !== null);
  const name = ous.find((ou) => !/=\d+$/.test(ou) && ou !== 'eHealth-platform Belgium' && ou !== 'Federal Government');
  return {
    ...(id?.[1]?.startsWith('NIHII') && { nihii: id[2] }),
    ...(id?.[1]?.startsWith('CBE') && { cbe: id[2] }),
    ...(name !== undefined && { name }),
  };
}

function sender(o: SenderOptions, key?: P12Contents): BatchSender {
  const cert = organisationFromCertificate(key);
  if (!o.userCode) throw new UsageError('--user-code is needed for the KMEHR sender');
  if (!o.doctorNihii) throw new UsageError('--doctor-nihii (the responsible doctor) is needed for the KMEHR author');
  const nihii = o.orgNihii ?? (o.orgCbe ? undefined : cert.nihii);
  const cbe = o.orgCbe ?? (nihii ? undefined : cert.cbe);
  if (!nihii && !cbe) throw new UsageError('--org-nihii or --org-cbe is needed for the KMEHR sender');
  return {
    userCode: o.userCode,
    ...(nihii && { nihii }),
    ...(cbe && { cbe }),
    name: o.orgName ?? cert.name ?? o.userCode,
    ...(o.orgType && { type: o.orgType }),
    doctorNihii: o.doctorNihii,
  };
}

const shellWord = (s: string): string => (/^[\w./:=@%+,-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`);

/**
 * The `batch result` command for a delivery just accepted, with the connection flags this call was given (the
 * password only by its flag's name: it is not echoed to a terminal or a log).
 */
function resultCommand(transactionId: string, o: SubmitOptions): string {
  return [
    'npx vaccinnet batch result',
    transactionId,
    '--p12',
    shellWord(o.p12),
    ...(o.password !== undefined ? ['--password', '…'] : []),
    ...(o.url !== undefined ? ['--url', shellWord(o.url)] : []),
    ...(o.ca !== undefined ? ['--ca', shellWord(o.ca)] : []),
    ...(o.mtls ? ['--mtls'] : []),
    ...(o.userCode !== undefined ? ['--user-code', shellWord(o.userCode)] : ['--user-code', '<your user code>']),
    '--wait',
  ].join(' ');
}

/** Runs a command body: usage errors → 2, faults and transport errors → 1, each with one clear line. */
async function run(setExitCode: SetExitCode, body: () => Promise<number>): Promise<void> {
  try {
    setExitCode(await body());
  } catch (error) {
    if (error instanceof UsageError) {
      err(`vaccinnet: ${error.message}`);
      setExitCode(BATCH_EXIT.usage);
    } else if (error instanceof SoapFaultError) {
      err(`refused (SOAP fault ${error.faultcode}${error.code ? ` ${error.code}` : ''}): ${error.message}`);
      setExitCode(BATCH_EXIT.refused);
    } else {
      const e = error as NodeJS.ErrnoException;
      err(`vaccinnet: ${e.code ? `cannot reach the registry: ${e.code} ` : ''}${e.message}`);
      setExitCode(BATCH_EXIT.refused);
    }
  }
}

/**
 * The closing folder of a delivery that stopped part-way (docs/batch.md, "Partial results"): it says why, it is not a
 * person, and its BATCH_PARTIAL row is not a vaccination.
 */
function isPartialMarker(f: FolderOutcome): boolean {
  return f.transactions.some((t) => t.resultCode === 'BATCH_PARTIAL');
}

function counts(folders: readonly FolderOutcome[]): { accepted: number; refused: number } {
  let accepted = 0;
  let refused = 0;
  for (const f of folders) {
    for (const t of f.transactions) {
      if (ACCEPTED.has(t.resultCode)) accepted += 1;
      else refused += 1;
    }
  }
  return { accepted, refused };
}

function printTable(folders: readonly FolderOutcome[]): void {
  const rows: string[][] = [['folder', 'patient', 'transaction', 'resultCode', 'resultTekst']];
  folders.forEach((f, i) => {
    const folderId = f.ids.find((x) => x.s === 'ID-KMEHR')?.value ?? String(i + 1);
    for (const t of f.transactions) {
      const local = t.ids.find((x) => x.s === 'LOCAL')?.value ?? t.ids[0]?.value ?? '';
      rows.push([folderId, maskInsz(f.patient), local, t.resultCode, (t.resultTekst ?? '').replace(/\s+/g, ' ')]);
    }
  });
  const widths = rows[0]!.slice(0, 4).map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const r of rows)
    out(
      r
        .map((cell, c) => (c < 4 ? cell.padEnd(widths[c]!) : cell))
        .join('  ')
        .trimEnd(),
    );
}

/** The result with the INSZ masked, for `--json` (personal data never leaves the process unmasked). */
function maskedJson(answer: ResultAnswer): unknown {
  if (answer.kind === 'fout') return answer;
  const marker = answer.folders.find(isPartialMarker);
  return {
    kind: 'result',
    summary: counts(answer.folders.filter((f) => !isPartialMarker(f))),
    ...(marker && { partial: marker.transactions[0]?.resultTekst ?? 'BATCH_PARTIAL' }),
    folders: answer.folders.map((f) => ({ ...f, patient: maskInsz(f.patient) })),
  };
}

/** Polls until the delivery is processed: backoff 1 s → 30 s, at most `timeoutMs`; a progress bar on a TTY. */
async function waitForResult(client: BatchClient, id: string, userCode: string, timeoutMs: number): Promise<ResultAnswer> {
  const started = Date.now();
  const tty = process.stderr.isTTY === true;
  const bar = tty
    ? new cliProgress.SingleBar(
        { format: 'waiting for processing [{bar}] {elapsed}s / {limit}s', stream: process.stderr, hideCursor: true },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  const limit = Math.round(timeoutMs / 1000);
  bar?.start(limit, 0, { elapsed: 0, limit });
  let delay = 1000;
  try {
    for (;;) {
      const answer = await client.result(id, userCode);
      const elapsed = Math.round((Date.now() - started) / 1000);
      if (answer.kind !== 'fout' || answer.foutCode !== NOT_PROCESSED_CODE) return answer;
      if (Date.now() - started + delay > timeoutMs) return answer;
      if (bar) bar.update(Math.min(elapsed, limit), { elapsed, limit });
      else err(`not processed yet after ${elapsed}s; asking again in ${Math.round(delay / 1000)}s`);
      await sleep(delay);
      delay = Math.min(delay * 2, 30_000);
    }
  } finally {
    if (bar) {
      bar.update(limit, { elapsed: Math.round((Date.now() - started) / 1000), limit });
      bar.stop();
    }
  }
}

/**
 * `vaccinnet batch submit | result | generate`: the organisation's side of BatchUpload (issue 5 §6).
 * Exit codes: 0 done / all accepted, 1 refused (foutCode, fault, any refused row, CSV errors, unreachable),
 * 2 bad arguments, 3 not processed yet.
 */
export function registerBatchCommands(program: Command, setExitCode: (code: number) => void): void {
  const batch = program.command('batch').description(COMMAND_SUMMARIES.batch.summary);

  senderOptions(connectOptions(batch.command('submit')))
    .description('deliver a KMEHR batch (FILE.xml) or a CSV with one row per vaccination (FILE.csv); prints the transaction id and how to fetch its result')
    .argument(
      '<file>',
      'FILE.xml (a KMEHR batch message) or FILE.csv (insz, firstname, familyname, birthdate, sex, cnk or vaccinnet_code, date, lot, local_id)',
    )
    .requiredOption('--software-id <id>', "the organisation's softwareID (extraInfo/pakket)")
    .option('--type <type>', 'extraInfo/type', 'auth_eHealth_org')
    .option('--supplement', 'send as Aanvulling: replaces earlier transactions with the same LOCAL id, adds new ones')
    .option('--json', 'print the answer as JSON ({"accepted":true,"transactionId":…} or {"accepted":false,"foutCode":…})')
    .action((file: string, o: SubmitOptions) =>
      run(setExitCode, async () => {
        if (!existsSync(file)) throw new UsageError(`no such file: ${file}`);
        const isCsv = /\.csv$/i.test(file);
        let xmlFile = file;
        let tempDir: string | undefined;
        const key = openKey(o);
        if (isCsv) {
          const converted = csvToKmehr(readFileSync(file, 'utf8'), { sender: sender(o, key) });
          if (!converted.ok) {
            for (const line of formatCsvErrors(converted.errors)) err(`${file}: ${line}`);
            err(`${converted.errors.length} error(s); nothing was sent`);
            return BATCH_EXIT.refused;
          }
          tempDir = mkdtempSync(path.join(tmpdir(), 'vaccinnet-batch-'));
          xmlFile = path.join(tempDir, 'batch.xml');
          writeFileSync(xmlFile, writeKmehr(converted.message));
          err(`${converted.vaccinations} vaccination(s) for ${converted.message.folders.length} person(s)`);
        }
        const client = openBatchClient(o, key);
        try {
          const answer = await client.deliverFile(xmlFile, { pakket: o.softwareId, type: o.type ?? 'auth_eHealth_org', supplement: o.supplement === true });
          if (o.json)
            out(
              JSON.stringify(
                answer.accepted
                  ? { accepted: true, transactionId: answer.transactionId }
                  : { accepted: false, foutCode: answer.foutCode, foutOmschrijving: answer.foutOmschrijving },
              ),
            );
          if (answer.accepted) {
            if (!o.json) {
              out(`transaction id: ${answer.transactionId}`);
              out(`fetch its per-vaccination result with: ${resultCommand(answer.transactionId, o)}`);
            }
            return BATCH_EXIT.ok;
          }
          err(`refused: ${answer.foutCode} — ${answer.foutOmschrijving}`);
          return BATCH_EXIT.refused;
        } finally {
          client.close();
          if (tempDir) rmSync(tempDir, { recursive: true, force: true });
        }
      }),
    );

  connectOptions(batch.command('result'))
    .description('the per-vaccination result of a delivery: a table and a summary (exit 1 when any row was refused)')
    .argument('<id>', 'the transactionId the delivery answered')
    .requiredOption('--user-code <code>', "the organisation's Vaccinnet user code (gebruikersId)")
    .option('--wait', 'poll until the delivery is processed')
    .option('--timeout <seconds>', 'with --wait: give up after this long', '900')
    .option('--json', 'print the result as JSON (INSZ masked)')
    .action((id: string, o: ResultOptions) =>
      run(setExitCode, async () => {
        const timeoutMs = positive('--timeout', o.timeout) * 1000;
        const client = openBatchClient(o, openKey(o));
        try {
          const answer = o.wait ? await waitForResult(client, id, o.userCode, timeoutMs) : await client.result(id, o.userCode);
          if (o.json) out(JSON.stringify(maskedJson(answer), null, 2));
          if (answer.kind === 'fout') {
            if (answer.foutCode === NOT_PROCESSED_CODE) {
              err(`delivery ${id} is not processed yet${o.wait ? ' (gave up waiting)' : '; ask again later or use --wait'}`);
              return BATCH_EXIT.notProcessed;
            }
            err(`refused: ${answer.foutCode} — ${answer.foutOmschrijving}`);
            return BATCH_EXIT.refused;
          }
          const people = answer.folders.filter((f) => !isPartialMarker(f));
          const marker = answer.folders.find(isPartialMarker);
          const { accepted, refused } = counts(people);
          if (!o.json) {
            printTable(people);
            out(`${people.length} person(s), ${accepted + refused} vaccination(s): ${accepted} accepted, ${refused} refused`);
          }
          if (marker) err(`processing stopped part-way: ${marker.transactions[0]?.resultTekst ?? 'BATCH_PARTIAL'}`);
          return refused > 0 || marker ? BATCH_EXIT.refused : BATCH_EXIT.ok;
        } finally {
          client.close();
        }
      }),
    );

  senderOptions(batch.command('generate'))
    .description('write a valid KMEHR batch file for tests and benchmarks (streamed; 100 000 vaccinations ≈ 120 MB)')
    .requiredOption('--patients <n>', 'number of persons (folders)')
    .requiredOption('--doses <m>', 'total number of vaccinations, spread over the persons (≥ patients)')
    .option('--out <file>', 'output file', 'batch.xml')
    .option('--covid-share <fraction>', 'share of COVID-19 doses (with a lot)', '0.2')
    .option('--days <n>', 'spread administration dates over the last n days', '7')
    .option('--seed <n>', 'seed for reproducible files')
    .action((o: GenerateOptions) =>
      run(setExitCode, async () => {
        const patients = positive('--patients', o.patients);
        const doses = positive('--doses', o.doses);
        if (doses < patients) throw new UsageError(`--doses (${doses}) must be at least --patients (${patients})`);
        const covidShare = Number(o.covidShare);
        if (!(covidShare >= 0 && covidShare <= 1)) throw new UsageError(`--covid-share must be between 0 and 1, got ${o.covidShare}`);
        const s = sender({ userCode: 'TEST0001', orgNihii: '71000436', doctorNihii: '14700250004', orgName: 'Test organisation', ...stripUndefined(o) });
        const file = o.out ?? 'batch.xml';
        const started = performance.now();
        const made = await generateBatchFile(file, {
          patients,
          doses,
          sender: s,
          covidShare,
          days: positive('--days', o.days),
          ...(o.seed !== undefined && { seed: positive('--seed', o.seed) }),
        });
        const seconds = (performance.now() - started) / 1000;
        out(file);
        err(
          `${made.vaccinations} vaccination(s) (${made.covid} COVID-19) for ${made.folders} person(s), ${(made.bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s`,
        );
        return BATCH_EXIT.ok;
      }),
    );
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
