/**
 * Runs benchmarks by name (`bench/<name>.bench.ts`), or all of them, one after the other, and prints one JSON
 * object per bench (one line each) with the machine it ran on: timings are only comparable within one run.
 * Usage: `npx tsx bench/run.ts [name...]`, e.g. `npx tsx bench/run.ts kmehr`.
 * A bench module's default export is `async () => Record<string, unknown>`.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
// Before any bench module is imported: the registry modules they import are then the compiled ones (dist/).
import './support/compiled-sources.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const SUFFIX = '.bench.ts';

type Bench = () => Promise<Record<string, unknown>>;

/** The names of every bench in this folder (`kmehr` for `kmehr.bench.ts`). */
export function benchNames(): string[] {
  return readdirSync(benchDir)
    .filter((f) => f.endsWith(SUFFIX))
    .map((f) => f.slice(0, -SUFFIX.length))
    .sort();
}

/** Runs one bench and returns its report with the machine facts first. */
export async function runBench(name: string): Promise<Record<string, unknown>> {
  const module = (await import(pathToFileURL(path.join(benchDir, `${name}${SUFFIX}`)).href)) as { default: Bench };
  const started = new Date().toISOString();
  const result = await module.default();
  const cpu = cpus();
  return {
    bench: name,
    started,
    node: process.version,
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
    ...result,
  };
}

async function main(argv: readonly string[]): Promise<number> {
  const known = benchNames();
  const wanted = argv.length > 0 ? [...argv] : known;
  const unknown = wanted.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    process.stderr.write(`unknown bench: ${unknown.join(', ')} (known: ${known.join(', ')})\n`);
    return 2;
  }
  // dist/ current first (incremental, ~3 s when nothing changed): the benches measure the compiled JavaScript.
  execFileSync(process.execPath, [path.join(benchDir, '../scripts/build.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
  for (const name of wanted) process.stdout.write(`${JSON.stringify(await runBench(name))}\n`);
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
