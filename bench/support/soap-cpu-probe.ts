/**
 * A/B probe for the SOAP server's CPU per AddVaccinations call: starts the bench server of one or more source trees
 * (each its own child, `bench/support/soap-bench-server.ts` of that tree, so "before" can be an export of an older
 * commit beside this one), then runs short closed-loop rounds against them in turn — A, B, A, B, … — and reports
 * each tree's server CPU ms per request, best and median of the rounds. Alternating short rounds is what makes
 * before/after comparable on a shared 2-core machine; the full bench (`bench/soap.bench.ts`) takes minutes and one
 * run's CPU per request moves ±20 % with other people's load.
 *
 * Usage: `npx tsx bench/support/soap-cpu-probe.ts [--mode mtls|signed] [--rounds 8] [--requests 3000] [tree …]`
 * (trees default to this one; `tree::--flag,--flag` starts that tree's server with those Node flags, e.g.
 * `. .::--max-semi-space-size=2` compares V8 settings on one tree; `tree::flags::NAME=value,…` adds environment). `--hold <seconds>` keeps the servers up after start-up and prints their pids, for
 * `perf record -p <pid>` from another shell. `--profile <dir>` adds one more round per server with V8's CPU profiler on
 * and writes `<dir>/<n>.cpuprofile` (not counted in the rounds). `--rate 300` runs each round as an open loop at that
 * rate instead (as the bench's fixed-rate phase) and reports the p99 latency too.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadP12 } from '../../src/pki/pkcs12.js';
import { DEMO_PASSWORD } from '../../src/server/demo/demo-seed.js';
import { closedLoop, fixedRate, type Target } from './load-generator.js';
import { registrationBodies } from './registration-bodies.js';
import { REPO_ROOT } from './repo-root.js';
import type { SigningKey } from '../../src/wssec/sign-envelope.js';
import type { ServerCommand, ServerMessage } from './soap-bench-server.js';

const ENDPOINT = '/VaccinnetUPL/wupl/VaccinationService-2_1';
const ADD_ACTION = 'urn:be:fgov:ehealth:safe:vaccination:AddVaccinations';
const CONCURRENCY = 32;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    mode: { type: 'string', default: 'mtls' },
    rounds: { type: 'string', default: '8' },
    requests: { type: 'string', default: '3000' },
    warmup: { type: 'string', default: '2000' },
    hold: { type: 'string', default: '0' },
    profile: { type: 'string' },
    rate: { type: 'string' },
  },
});
const signed = values.mode === 'signed';
const rounds = Number(values.rounds);
const perRound = Number(values.requests);
const warmup = Number(values.warmup);
const trees = (positionals.length > 0 ? positionals : [REPO_ROOT]).map((spec) => {
  const [tree, flags, env] = spec.split('::');
  return {
    tree: path.resolve(tree!),
    flags: flags ? flags.split(',') : [],
    env: Object.fromEntries((env ? env.split(',') : []).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])),
  };
});

interface Server {
  readonly tree: string;
  readonly flags: readonly string[];
  readonly label: string;
  readonly child: ChildProcess;
  readonly ready: Extract<ServerMessage, { type: 'ready' }>;
  next<T extends ServerMessage['type']>(type: T): Promise<Extract<ServerMessage, { type: T }>>;
  target: Target;
  key: SigningKey;
  nextPatient: number;
  cpu: number[];
  p99: number[];
}

async function start(tree: string, flags: readonly string[], env: Record<string, string>, dataDir: string, persons: number): Promise<Server> {
  const child = fork(path.join(tree, 'bench/support/soap-bench-server.ts'), ['registry', dataDir, String(persons)], {
    cwd: tree,
    execArgv: [...flags, '--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const waiters: { type: string; resolve: (m: ServerMessage) => void; reject: (e: Error) => void }[] = [];
  child.on('message', (m: ServerMessage) => {
    if (m.type === 'error') {
      for (const w of waiters.splice(0)) w.reject(new Error(`${tree}: ${m.message}`));
      return;
    }
    const i = waiters.findIndex((w) => w.type === m.type);
    if (i >= 0) waiters.splice(i, 1)[0]!.resolve(m);
  });
  const next = <T extends ServerMessage['type']>(type: T): Promise<Extract<ServerMessage, { type: T }>> =>
    new Promise((resolve, reject) => waiters.push({ type, resolve: resolve as (m: ServerMessage) => void, reject }));
  const ready = await next('ready');
  const p12 = loadP12(readFileSync(ready.doctor!.p12Path), DEMO_PASSWORD);
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets: CONCURRENCY,
    ca: ready.caPem,
    ...(!signed && { cert: p12.certificatePem, key: p12.privateKeyPem }),
  });
  const target: Target = {
    agent,
    url: new URL(ENDPOINT, ready.url),
    soapAction: ADD_ACTION,
    classify: (status, body) => {
      const code = /<m:Code>([^<]*)<\/m:Code>/.exec(body)?.[1] ?? `http-${status}`;
      return code === 'OK' && !body.includes('VaccinationId') ? 'OK without VaccinationId' : code;
    },
  };
  return {
    tree,
    flags,
    label: [tree, ...flags, ...Object.entries(env).map(([k, v]) => `${k}=${v}`)].join(' '),
    child,
    ready,
    next,
    target,
    key: { privateKeyPem: p12.privateKeyPem, certificateDer: p12.certificateDer },
    nextPatient: 0,
    cpu: [],
    p99: [],
  };
}

function bodies(s: Server, count: number): Buffer[] {
  const first = s.nextPatient;
  s.nextPatient += count;
  return registrationBodies({ softwareId: s.ready.doctor!.softwareId, first, count, ...(signed && { signWith: s.key }) });
}

async function serverCpuMs(s: Server): Promise<number> {
  s.child.send({ type: 'cpu' } satisfies ServerCommand);
  return (await s.next('cpu')).cpuMs;
}

const rate = values.rate === undefined ? undefined : Number(values.rate);

async function round(s: Server, count: number): Promise<{ cpuMsPerRequest: number; perSecond: number; p99: number; outcomes: Record<string, number> }> {
  const sent = bodies(s, count);
  const before = await serverCpuMs(s);
  const result = rate === undefined ? await closedLoop(s.target, sent, CONCURRENCY, 120) : await fixedRate(s.target, sent, rate, count / rate);
  const after = await serverCpuMs(s);
  return {
    cpuMsPerRequest: (after - before) / Math.max(1, result.requests),
    perSecond: result.perSecond,
    p99: result.latencyMs.p99,
    outcomes: result.outcomes,
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dirs: string[] = [];
const servers: Server[] = [];
try {
  // Every request registers a new seeded patient; a hold sends as many as the server answers (~3 000/s at most here).
  const persons = warmup + (rounds + 1) * perRound + Number(values.hold) * 3000 + 10;
  for (const { tree, flags, env } of trees) {
    const dir = mkdtempSync(path.join(tmpdir(), 'vaccinnet-soap-probe-'));
    dirs.push(dir);
    servers.push(await start(tree, flags, env, dir, persons));
  }
  if (Number(values.hold) > 0) {
    for (const s of servers) console.error(`server of ${s.label}: pid ${s.child.pid} at ${s.ready.url}`);
  }
  for (const s of servers) await closedLoop(s.target, bodies(s, warmup), CONCURRENCY, 60);
  if (Number(values.hold) > 0) {
    // Load during the hold, so a profiler attached from outside sees the hot path.
    const until = Date.now() + Number(values.hold) * 1000;
    while (Date.now() < until) {
      for (const s of servers) await closedLoop(s.target, bodies(s, 1000), CONCURRENCY, 30);
    }
  }
  for (let r = 0; r < rounds; r++) {
    for (const s of r % 2 === 0 ? servers : [...servers].reverse()) {
      const res = await round(s, perRound);
      s.cpu.push(res.cpuMsPerRequest);
      s.p99.push(res.p99);
      const bad = Object.entries(res.outcomes).filter(([k]) => k !== 'OK');
      console.error(
        `round ${r} ${s.label}: ${(res.cpuMsPerRequest * 1000).toFixed(1)} us/request, ${res.perSecond}/s, p99 ${res.p99} ms${bad.length ? ` NOT OK: ${JSON.stringify(bad)}` : ''}`,
      );
    }
  }
  if (values.profile !== undefined) {
    for (const [n, s] of servers.entries()) {
      const file = path.resolve(values.profile, `${n}.cpuprofile`);
      s.child.send({ type: 'profile-start' } satisfies ServerCommand);
      await new Promise((r) => setTimeout(r, 200));
      await closedLoop(s.target, bodies(s, perRound), CONCURRENCY, 60);
      s.child.send({ type: 'profile-stop', file } satisfies ServerCommand);
      await s.next('profile-written');
      console.error(`profile of ${s.label}: ${file}`);
    }
  }
  console.log(
    JSON.stringify(
      servers.map((s) => ({
        server: s.label,
        mode: signed ? 'signed' : 'mutual TLS',
        serverCpuUsPerRequest: { best: Math.round(Math.min(...s.cpu) * 1000), median: Math.round(median(s.cpu) * 1000) },
        rounds: s.cpu.map((c) => Math.round(c * 1000)),
        p99Ms: { median: median(s.p99), rounds: s.p99 },
      })),
      null,
      2,
    ),
  );
} finally {
  for (const s of servers) {
    s.target.agent.destroy();
    s.child.send({ type: 'stop' } satisfies ServerCommand);
    const t = setTimeout(() => s.child.kill('SIGKILL'), 10_000);
    await new Promise((r) => s.child.once('exit', r));
    clearTimeout(t);
  }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
