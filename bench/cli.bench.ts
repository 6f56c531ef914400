/**
 * CLI start-up benchmark (issue 12 §7): wall time of `vaccinnet --help` and of one `vaccinnet register …` call against
 * a running demo registry, beside the yardstick `node -e 0` measured in the same run, each the median of N runs.
 * The registry is the compiled one (`node bin/vaccinnet.mjs serve --demo`, a fresh temporary folder), started once;
 * each register call sends another administration date so that none is refused as a probable duplicate.
 * Standalone: `npx tsx bench/cli.bench.ts` (CLI_BENCH_RUNS=… to change N, default 9).
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './support/repo-root.js';

const RUNS = Number(process.env.CLI_BENCH_RUNS ?? 9);
const BIN = path.join(REPO_ROOT, 'bin/vaccinnet.mjs');
const TARGETS = { helpSeconds: 0.3, registerSeconds: 0.8 } as const;

const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Wall seconds of one process run to its end; throws when it fails or `check` rejects its output. */
function timedRun(args: readonly string[], cwd: string, check: (stdout: string) => boolean = () => true): number {
  const start = performance.now();
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  const seconds = (performance.now() - start) / 1000;
  if (r.status !== 0 || !check(r.stdout)) throw new Error(`node ${args.join(' ')} failed (${r.status}):\n${r.stdout}${r.stderr}`);
  return seconds;
}

/** Starts the demo registry in `cwd` and returns it with the register command it printed (split like a shell). */
async function startDemoRegistry(cwd: string): Promise<{ server: ChildProcess; registerArgs: string[] }> {
  const server = spawn(process.execPath, [BIN, 'serve', '--demo', '--port', '0'], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  server.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const deadline = Date.now() + 120_000;
  while (!/npx vaccinnet get .*\n/.test(stderr)) {
    if (Date.now() > deadline || server.exitCode !== null) throw new Error(`the demo registry did not start:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const line = stderr
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.startsWith('npx vaccinnet register '))!;
  const registerArgs = [...line.replace(/^npx vaccinnet\s+/, '').matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
  return { server, registerArgs };
}

/** The register command with the administration date `daysBack` days before the printed one. */
function withDate(args: readonly string[], daysBack: number): string[] {
  const i = args.indexOf('--date');
  const date = new Date(`${args[i + 1]}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() - daysBack);
  return args.map((a, j) => (j === i + 1 ? date.toISOString().slice(0, 10) : a));
}

export default async function cliBench(): Promise<Record<string, unknown>> {
  // The compiled code is what users run: bring dist/ up to date first (not measured).
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts/build.mjs')], { stdio: 'inherit' });
  const cwd = mkdtempSync(path.join(tmpdir(), 'vaccinnet-cli-bench-'));
  const { server, registerArgs } = await startDemoRegistry(cwd);
  try {
    const yardstick: number[] = [];
    const help: number[] = [];
    const register: number[] = [];
    // Interleaved, so that a change in machine load touches the three alike.
    for (let n = 0; n < RUNS; n++) {
      yardstick.push(timedRun(['-e', '0'], cwd));
      help.push(timedRun([BIN, '--help'], cwd, (out) => out.includes('Commands:')));
      register.push(timedRun([BIN, ...withDate(registerArgs, n)], cwd, (out) => /^VaccinationId: [0-9A-F]{32}$/m.test(out)));
    }
    const helpSeconds = round(median(help));
    const registerSeconds = round(median(register));
    return {
      runs: RUNS,
      medianSeconds: { nodeE0: round(median(yardstick)), help: helpSeconds, register: registerSeconds },
      overYardstickSeconds: { help: round(helpSeconds - median(yardstick)), register: round(registerSeconds - median(yardstick)) },
      targets: TARGETS,
      meetsTargets: helpSeconds <= TARGETS.helpSeconds && registerSeconds <= TARGETS.registerSeconds,
    };
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => (server.exitCode !== null ? r(undefined) : server.once('exit', r)));
    rmSync(cwd, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await cliBench(), null, 2));
}
