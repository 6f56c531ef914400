/**
 * KMEHR batch benchmark: on one generated ~50 MB batch-shaped message (many folders, one vaccination transaction
 * each, valid against the KMEHR XSD) it measures, each phase in its own child process so its peak RSS is its own:
 * - parse + semantic validation: streamKmehr + checkTransaction per transaction;
 * - parse + XSD: file validation (`xmllint --stream`, Debian libxml2) from the `validateFileInWorker` process, concurrently with
 *   streamKmehr on the main thread (the worker is started and the schema compiled before timing: it is long-lived);
 * and, as the yardstick, Debian `xmllint --noout --stream` and `xmllint --noout --stream --schema` on the same file.
 * Targets: parse+semantic ≥ 40 MB/s, parse+XSD ≥ 30 MB/s, peak RSS ≤ 250 MB.
 * Standalone: `npx tsx bench/kmehr.bench.ts` (KMEHR_BENCH_MB=… to change the size, default 50).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, createReadStream, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { defaultVaccineReference } from '../src/kmehr/codelists/index.js';
import { batchFolder, batchMessage } from '../src/kmehr/generate-batch.js';
import type { Header, KmehrMessage } from '../src/kmehr/model.js';
import { checkTransaction } from '../src/kmehr/rules/check-message.js';
import { streamKmehr } from '../src/kmehr/stream-kmehr.js';
import { stopXsdWorker, validateFileInWorker, xsdWorkerPid } from '../src/kmehr/xsd/validate-file-in-worker.js';
import { BENCH_CHILD_FLAGS } from './support/bench-child-flags.js';

const thisFile = fileURLToPath(import.meta.url);
const repoRoot = path.resolve(path.dirname(thisFile), '..');
const schemaDir = path.resolve(repoRoot, '../shared/kmehr/schema');
const rootXsd = path.join(schemaDir, 'ehealth-kmehr/XSD/kmehr_elements-1_43.xsd');
const TARGET_MB = Number(process.env.KMEHR_BENCH_MB ?? 50);
const TARGETS = { semanticMBps: 40, xsdMBps: 30, peakRssMB: 250 } as const;
// Batches are bigger than one message: the size limit is the caller's policy, not this bench's.
const BATCH_LIMITS = { maxBytes: Number.MAX_SAFE_INTEGER, maxDepth: 64 } as const;

const MB = 1024 * 1024;
const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;

/** What a phase child reports. */
interface PhaseReport {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly maxRssMB: number;
  readonly [detail: string]: unknown;
}

/** Writes the batch message: the generator's header, then folders until the size is reached. */
function generateBatch(file: string, targetBytes: number): { bytes: number; folders: number } {
  const fd = openSync(file, 'w');
  try {
    // The generator's message head: batchMessage(0) is head + closing root tag.
    let bytes = writeSync(fd, batchMessage(0).replace(/<\/kmehrmessage>\s*$/, ''));
    let folders = 0;
    while (bytes < targetBytes) {
      let chunk = '';
      for (let i = 0; i < 512; i++) chunk += batchFolder(folders++);
      bytes += writeSync(fd, chunk);
    }
    bytes += writeSync(fd, '</kmehrmessage>\n');
    return { bytes, folders };
  } finally {
    closeSync(fd);
  }
}

async function semanticPhase(file: string): Promise<Record<string, unknown>> {
  const ctx = { today: '2026-11-29', reference: defaultVaccineReference() };
  let header: Header | undefined;
  let transactions = 0;
  let findings = 0;
  let rulesMs = 0;
  await streamKmehr(
    createReadStream(file, { highWaterMark: 256 * 1024 }),
    {
      header: (h) => {
        header = h;
      },
      folder: (f) => {
        const message: KmehrMessage = { header: header!, folders: [f] };
        const start = performance.now();
        for (let t = 0; t < f.transactions.length; t++) {
          findings += checkTransaction(message, 0, t, ctx).length;
          transactions++;
        }
        rulesMs += performance.now() - start;
      },
    },
    BATCH_LIMITS,
  );
  // Where the time goes: the rules' share (the rest is reading: saxes + the model builder).
  return { transactions, findings, rulesSeconds: round(rulesMs / 1000, 2) };
}

/** CPU seconds and peak RSS (MB) of another process, from /proc (Linux): the XSD worker's share of a phase. */
function procUsage(pid: number): { cpuSeconds: number; maxRssMB: number } {
  // /proc/<pid>/stat: fields 14-17 (utime, stime, cutime, cstime) in clock ticks, counted after the command name's
  // ')'. The children's share counts since issue 18: the worker waits for the xmllint child that does the work.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return { cpuSeconds: ticks / 100, maxRssMB: hwm === undefined ? -1 : round(Number(hwm) / 1024) };
}

/** Starts the XSD worker and compiles the schema there (a long-lived worker in real use: not part of a batch's cost). */
async function xsdPrepare(): Promise<void> {
  await validateFileInWorker(schemaDir, path.resolve(repoRoot, '../shared/kmehr/samples/vitalink-evs/vaccination/vaccination-with-cdatc-and-batch.xml'));
}

/** libxml2 validation in the worker process, concurrently with the streaming parse on this thread. */
async function xsdPhase(file: string): Promise<Record<string, unknown>> {
  const pid = xsdWorkerPid()!;
  const workerBefore = procUsage(pid);
  const start = performance.now();
  let xsdSeconds = 0;
  const validation = validateFileInWorker(schemaDir, file).then((findings) => {
    xsdSeconds = (performance.now() - start) / 1000;
    return findings;
  });
  let folders = 0;
  await streamKmehr(createReadStream(file, { highWaterMark: 256 * 1024 }), { header: () => {}, folder: () => void folders++ }, BATCH_LIMITS);
  const parseSeconds = (performance.now() - start) / 1000;
  const xsdFindings = (await validation).length;
  const workerAfter = procUsage(pid);
  await stopXsdWorker();
  return {
    xsdFindings,
    folders,
    xsdSeconds: round(xsdSeconds, 2),
    parseSeconds: round(parseSeconds, 2),
    workerCpuSeconds: round(workerAfter.cpuSeconds - workerBefore.cpuSeconds, 2),
    workerMaxRssMB: workerAfter.maxRssMB,
  };
}

const PHASES: Record<string, (file: string) => Promise<Record<string, unknown>>> = { semantic: semanticPhase, xsd: xsdPhase };
const PREPARE: Record<string, () => Promise<void>> = { xsd: xsdPrepare };

/** In the child: run one phase (timed after module loading) and print its report as the last line. */
async function runPhaseHere(name: string, file: string): Promise<void> {
  await PREPARE[name]?.();
  const cpu = process.cpuUsage();
  const start = performance.now();
  const detail = await PHASES[name]!(file);
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const report: PhaseReport = {
    seconds: round(seconds, 2),
    // This process's CPU plus, for the XSD phase, the worker process's.
    cpuSeconds: round((used.user + used.system) / 1e6 + Number(detail.workerCpuSeconds ?? 0), 2),
    maxRssMB: round(process.resourceUsage().maxRSS / 1024),
    ...detail,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

function runPhaseChild(name: string, file: string): PhaseReport {
  const child = spawnSync(process.execPath, [...BENCH_CHILD_FLAGS, thisFile, '--phase', name, file], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`phase ${name} failed (${child.status}): ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as PhaseReport;
}

/** Wall seconds and peak RSS of a command, through GNU time. */
function timed(command: string, args: readonly string[]): { seconds: number; maxRssMB: number; ok: boolean } {
  const start = performance.now();
  const child = spawnSync('/usr/bin/time', ['-f', 'maxrss=%M', command, ...args], { encoding: 'utf8' });
  const seconds = (performance.now() - start) / 1000;
  const rss = /maxrss=(\d+)/.exec(child.stderr)?.[1];
  return { seconds: round(seconds, 2), maxRssMB: rss === undefined ? -1 : round(Number(rss) / 1024), ok: child.status === 0 };
}

export default async function kmehrBench(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmehr-bench-'));
  try {
    const file = path.join(dir, 'batch.xml');
    const generated = generateBatch(file, TARGET_MB * MB);
    const sizeMB = statSync(file).size / MB;
    const semantic = runPhaseChild('semantic', file);
    const xsd = runPhaseChild('xsd', file);
    const xmllintStream = timed('xmllint', ['--noout', '--stream', file]);
    const xmllintSchema = timed('xmllint', ['--noout', '--stream', '--nonet', '--schema', rootXsd, file]);
    const rate = (seconds: number): number => round(sizeMB / seconds);
    const semanticMBps = rate(semantic.seconds);
    const xsdMBps = rate(xsd.seconds);
    return {
      file: { sizeMB: round(sizeMB), folders: generated.folders },
      parseSemantic: { ...semantic, mbPerSecond: semanticMBps, cpuMbPerSecond: rate(semantic.cpuSeconds) },
      parseXsd: { ...xsd, mbPerSecond: xsdMBps, cpuMbPerSecond: rate(xsd.cpuSeconds) },
      xmllintStream: { ...xmllintStream, mbPerSecond: rate(xmllintStream.seconds) },
      xmllintStreamSchema: { ...xmllintSchema, mbPerSecond: rate(xmllintSchema.seconds) },
      ratios: {
        parseSemanticVsXmllintStream: round(semanticMBps / rate(xmllintStream.seconds), 2),
        parseXsdVsXmllintSchema: round(xsdMBps / rate(xmllintSchema.seconds), 2),
      },
      targets: {
        ...TARGETS,
        semanticMet: semanticMBps >= TARGETS.semanticMBps,
        xsdMet: xsdMBps >= TARGETS.xsdMBps,
        rssMet: Math.max(semantic.maxRssMB, xsd.maxRssMB, Number(xsd.workerMaxRssMB)) <= TARGETS.peakRssMB,
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const phaseAt = process.argv.indexOf('--phase');
if (phaseAt > 0) {
  await runPhaseHere(process.argv[phaseAt + 1]!, process.argv[phaseAt + 2]!);
} else if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await kmehrBench(), null, 2));
}
