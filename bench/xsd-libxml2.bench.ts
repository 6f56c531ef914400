/**
 * Issue 18: which libxml2 validates KMEHR against the XSD. Measures, each candidate in its own child process (so its
 * peak RSS is its own), on this machine in one run:
 * - libxmljs 1.0.11 (bundled libxml2 2.9.12, in-process native; the old path, raw SWIG calls as the old validator
 *   made them) — skipped when libxmljs is not installed (it was dropped after this comparison);
 * - libxml2-wasm (current libxml2, WebAssembly) — DOM parse + validate, the only way its exports allow;
 * - Debian's system libxml2 through `xmllint --noout --stream --schema` (a child process per file);
 * - the registry's validator as shipped (`createXsdValidator`: wasm for messages, xmllint for files).
 * Per message: µs per parse+validate of a 3.6 KB vaccination message. Per delivery: MB/s and peak RSS on a generated
 * ~50 MB batch message. Hostile: a billion-laughs bomb (no DOCTYPE screen), 100 000-deep nesting, an 11 MB
 * attribute — outcome and time. Wall times on a shared machine: compare within one run (see loadAverage, cpuSeconds).
 * Standalone: `npx tsx bench/xsd-libxml2.bench.ts` (XSD_BENCH_MB=… to change the delivery size, default 50).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { batchFolder, batchMessage } from '../src/kmehr/generate-batch.js';
import { BENCH_CHILD_FLAGS } from './support/bench-child-flags.js';

const thisFile = fileURLToPath(import.meta.url);
const repoRoot = path.resolve(path.dirname(thisFile), '..');
const schemaDir = path.resolve(repoRoot, '../shared/kmehr/schema');
const rootXsd = path.join(schemaDir, 'ehealth-kmehr/XSD/kmehr_elements-1_43.xsd');
const messageFile = path.resolve(repoRoot, '../shared/kmehr/samples/vitalink-evs/vaccination/vaccination-with-cdatc-and-batch.xml');
const NS = 'http://www.ehealth.fgov.be/standards/kmehr/schema/v1';
const TARGET_MB = Number(process.env.XSD_BENCH_MB ?? 50);
const MESSAGES = 1000;
const MB = 1024 * 1024;
const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;
type Json = Record<string, unknown>;

function generateBatch(file: string, targetBytes: number): number {
  const fd = openSync(file, 'w');
  try {
    let bytes = writeSync(fd, batchMessage(0).replace(/<\/kmehrmessage>\s*$/, ''));
    for (let n = 0; bytes < targetBytes;) {
      let chunk = '';
      for (let i = 0; i < 512; i++) chunk += batchFolder(n++);
      bytes += writeSync(fd, chunk);
    }
    return bytes + writeSync(fd, '</kmehrmessage>\n');
  } finally {
    closeSync(fd);
  }
}

function hostileDocuments(): Record<string, string> {
  let entities = '<!ENTITY l0 "lol">';
  for (let i = 1; i < 10; i++) entities += `<!ENTITY l${i} "${`&l${i - 1};`.repeat(10)}">`;
  return {
    billionLaughs: `<?xml version="1.0"?><!DOCTYPE kmehrmessage [${entities}]><kmehrmessage xmlns="${NS}"><header>&l9;</header></kmehrmessage>`,
    deepNesting: `<kmehrmessage xmlns="${NS}">${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</kmehrmessage>`,
    hugeAttribute: `<kmehrmessage xmlns="${NS}" a="${'x'.repeat(11_000_000)}"/>`,
  };
}

/** A candidate: compile, validate bytes (verdict + first message), validate a file. */
interface Candidate {
  compile(): void;
  bytes(b: Buffer): string;
  file(f: string): string;
}

/** The libxmljs native binding's calls this bench makes (the package ships no types for its bindings). */
interface LibxmljsBindings {
  withStructuredErrors(body: (errors: { message: string }[]) => string): string;
  xmlSchemaNewParserCtxt(file: string): unknown;
  xmlSchemaParse(parserCtxt: unknown): unknown;
  xmlSchemaNewValidCtxt(schema: unknown): unknown;
  xmlSchemaValidateStream(validCtxt: unknown, input: unknown, encoding: number, sax: null, userData: null): number;
  xmlParserInputBufferCreateMem(bytes: Buffer, length: number, encoding: number): unknown;
  xmlParserInputBufferCreateFd(fd: number, encoding: number): unknown;
}

function libxmljsCandidate(): Candidate {
  // The old validator's calls (src/kmehr/xsd/libxml2.ts before issue 18): compiled schema, stream validation.
  const native = (createRequire(import.meta.url)('libxmljs/dist/lib/bindings/index.js') as { default: LibxmljsBindings }).default;
  let ctxt: unknown;
  const run = (input: () => unknown): string =>
    native.withStructuredErrors((errors: { message: string }[]) => {
      const rc = native.xmlSchemaValidateStream(ctxt, input(), 0, null, null);
      return rc === 0 ? 'valid' : `refused: ${errors[0]?.message.trim() ?? rc}`;
    });
  return {
    compile: () => {
      const p = native.xmlSchemaNewParserCtxt(rootXsd);
      ctxt = native.xmlSchemaNewValidCtxt(native.xmlSchemaParse(p));
    },
    bytes: (b) => run(() => native.xmlParserInputBufferCreateMem(b, b.length, 0)),
    file: (f) => run(() => native.xmlParserInputBufferCreateFd(openSync(f, 'r'), 0)),
  };
}

async function wasmCandidate(): Promise<Candidate> {
  const { XmlDocument, XsdValidator, ParseOption } = await import('libxml2-wasm');
  const { xmlRegisterFsInputProviders } = await import('libxml2-wasm/lib/nodejs.mjs');
  let validator: InstanceType<typeof XsdValidator>;
  const run = (b: Buffer, option: number): string => {
    let doc;
    try {
      doc = XmlDocument.fromBuffer(b, { option });
    } catch (e) {
      return `refused: ${(e as Error).message.trim()}`;
    }
    try {
      validator.validate(doc);
      return 'valid';
    } catch (e) {
      return `refused: ${(e as Error).message.trim().slice(0, 200)}`;
    } finally {
      doc.dispose();
    }
  };
  return {
    compile: () => {
      xmlRegisterFsInputProviders();
      validator = XsdValidator.fromDoc(XmlDocument.fromBuffer(readFileSync(rootXsd), { url: rootXsd }));
    },
    bytes: (b) => run(b, ParseOption.XML_PARSE_NONET),
    // A whole delivery needs XML_PARSE_HUGE (text and depth limits) and a DOM: that is what a file costs here.
    file: (f) => run(readFileSync(f), ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_HUGE),
  };
}

async function registryCandidate(): Promise<Candidate> {
  const { createXsdValidator } = await import('../src/kmehr/xsd/xsd-validator.js');
  const { createXsdValidator: create } = { createXsdValidator };
  let v: ReturnType<typeof create>;
  const say = (findings: { code: string; params?: Json }[]): string =>
    findings.length === 0 ? 'valid' : `refused: ${findings[0]!.code} ${String(findings[0]!.params?.detail ?? '').slice(0, 200)}`;
  return {
    compile: () => {
      v = create(schemaDir); // as shipped, DOCTYPE screen included (the hostile cases are run on the raw candidates)
    },
    bytes: (b) => say(v.validateBytes(b)),
    file: (f) => say(v.validateFile(f)),
  };
}

function xmllintCandidate(): Candidate {
  const run = (args: string[], input: Buffer | number): string => {
    const r = spawnSync('xmllint', ['--noout', '--nonet', '--stream', '--schema', rootXsd, ...args], {
      input: typeof input === 'number' ? undefined : input,
      stdio: [typeof input === 'number' ? input : 'pipe', 'ignore', 'pipe'],
      encoding: 'utf8',
      maxBuffer: 64 * MB,
    });
    if (r.status === 0) return 'valid';
    const first = r.stderr.split('\n').find((l) => / error : /.test(l)) ?? r.stderr.split('\n').at(-2) ?? '';
    return `refused (exit ${r.status}): ${first.slice(0, 200)}`;
  };
  return {
    compile: () => {},
    bytes: (b) => run(['-'], b),
    file: (f) => {
      const fd = openSync(f, 'r');
      try {
        return run(['-'], fd);
      } finally {
        closeSync(fd);
      }
    },
  };
}

const CANDIDATES: Record<string, () => Candidate | Promise<Candidate>> = {
  libxmljs: libxmljsCandidate,
  wasm: wasmCandidate,
  xmllint: xmllintCandidate,
  registry: registryCandidate,
};

function peakRssMB(): number {
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return hwm === undefined ? -1 : round(Number(hwm) / 1024);
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return round((u.user + u.system) / 1e6, 2);
}

/** In the child: one candidate, one task. Prints its JSON as the last line. */
async function phase(candidateName: string, task: string, arg: string): Promise<Json> {
  const candidate = await CANDIDATES[candidateName]!();
  let start = performance.now();
  candidate.compile();
  const compileMs = round(performance.now() - start);
  const rssAfterCompile = round(process.memoryUsage().rss / MB);
  if (task === 'message') {
    const message = readFileSync(messageFile);
    const verdict = candidate.bytes(message);
    const count = candidateName === 'xmllint' ? 40 : MESSAGES;
    for (let i = 0; i < Math.min(200, count); i++) candidate.bytes(message); // warm-up
    const cpu = process.cpuUsage();
    start = performance.now();
    for (let i = 0; i < count; i++) candidate.bytes(message);
    const ms = performance.now() - start;
    return {
      compileMs,
      verdict,
      messageBytes: message.length,
      messages: count,
      usPerMessage: round((ms * 1000) / count),
      cpuUsPerMessage: round((cpuSeconds(cpu) * 1e6) / count),
      peakRssMB: peakRssMB(),
    };
  }
  if (task === 'delivery') {
    const cpu = process.cpuUsage();
    start = performance.now();
    const verdict = candidate.file(arg);
    const seconds = (performance.now() - start) / 1000;
    const bytes = readFileSync(arg).length; // after timing
    return {
      compileMs,
      rssAfterCompile,
      verdict,
      seconds: round(seconds, 2),
      MBps: round(bytes / MB / seconds),
      cpuSeconds: cpuSeconds(cpu),
      peakRssMB: peakRssMB(),
    };
  }
  const doc = hostileDocuments()[task]!;
  start = performance.now();
  const outcome = candidate.bytes(Buffer.from(doc));
  const ms = round(performance.now() - start);
  const after = candidate.bytes(readFileSync(messageFile)); // still serving?
  return { outcome, ms, thenValidMessage: after, peakRssMB: peakRssMB() };
}

/** Runs a phase in a child under /usr/bin/time (peak RSS of the whole process tree's largest process, incl. xmllint). */
function runChild(candidate: string, task: string, arg = ''): Json {
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %U %S %M', process.execPath, ...BENCH_CHILD_FLAGS, thisFile, '--phase', candidate, task, arg], {
    encoding: 'utf8',
    maxBuffer: 16 * MB,
    timeout: 120_000,
    cwd: repoRoot,
  });
  const lines = r.stdout.trim().split('\n');
  const time = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr);
  const child =
    time === null
      ? {}
      : { processWallSeconds: Number(time[1]), processCpuSeconds: round(Number(time[2]) + Number(time[3]), 2), maxRssMBOfTree: round(Number(time[4]) / 1024) };
  try {
    return { ...(JSON.parse(lines.at(-1)!) as Json), ...child };
  } catch {
    return { failed: `exit ${r.status ?? r.signal}`, stderr: r.stderr.slice(-400), ...child };
  }
}

function versions(): Json {
  const xmllint = spawnSync('xmllint', ['--version'], { encoding: 'utf8' }).stderr.split('\n')[0];
  const dpkg = spawnSync('dpkg-query', ['-W', '-f', '${Version}', 'libxml2'], { encoding: 'utf8' }).stdout;
  const pkg = (name: string): string | undefined => {
    const file = path.join(repoRoot, 'node_modules', name, 'package.json');
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version : undefined;
  };
  return { libxmljs: pkg('libxmljs') ?? 'not installed', libxml2Wasm: pkg('libxml2-wasm'), xmllint, debianLibxml2: dpkg };
}

export default async function xsdLibxml2Bench(): Promise<Json> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'xsd-libxml2-bench-'));
  try {
    const delivery = path.join(scratch, 'delivery.xml');
    const deliveryMB = round(generateBatch(delivery, TARGET_MB * MB) / MB);
    const names = Object.keys(CANDIDATES).filter((n) => n !== 'libxmljs' || existsSync(path.join(repoRoot, 'node_modules/libxmljs')));
    const out: Json = { versions: versions(), deliveryMB, targets: { deliveryMBps: 30, peakRssMB: 250 } };
    for (const name of names) {
      const result: Json = { message: runChild(name, 'message') };
      result.delivery = runChild(name, 'delivery', delivery);
      // The shipped validator is wasm (bytes) + xmllint (files): its hostile behaviour is theirs, measured above.
      if (name !== 'registry') for (const h of Object.keys(hostileDocuments())) result[h] = runChild(name, h);
      out[name] = result;
    }
    out.loadAverageAfter = loadavg().map((x) => round(x, 2));
    return out;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--phase') {
  const [, , , candidate, task, arg] = process.argv;
  process.stdout.write(`${JSON.stringify(await phase(candidate!, task!, arg ?? ''))}\n`);
} else if (process.argv[1] === thisFile) {
  const cpu = cpus();
  process.stdout.write(
    `${JSON.stringify({ bench: 'xsd-libxml2', started: new Date().toISOString(), node: process.version, cpu: cpu[0]?.model, cores: cpu.length, loadAverage: loadavg().map((x) => round(x, 2)), ...(await xsdLibxml2Bench()) })}\n`,
  );
}
