/**
 * RegistratieService over the wire (issue 4): AddVaccinations per second with a mutual-TLS identity and with a
 * WS-Security-signed request, latency at a fixed 300 req/s, and a bare Fastify HTTPS endpoint with the same TLS
 * settings as the yardstick — all in one run, against SQLite, over keep-alive HTTPS with 32 connections.
 * Targets: mutual TLS ≥ 2 000/s and ≥ 25 % of the bare endpoint; signed ≥ 1 000/s; p99 ≤ 25 ms at 300 req/s.
 *
 * The server runs in a child process (its own core and event loop), started as `npm start` would but on a free port
 * with a fresh data dir: the development CA, demo profiles, XSD validation on, `info` logging (to /dev/null), person
 * check `register` with one register entry per bench patient. Every request registers a NEW dose for a NEW patient
 * (own INSZ, message id and lot), so each one is a real insert, not a replay. Request bodies are built (and signed)
 * before each phase so the load generator only sends bytes; signatures stay inside the 300 s timestamp window.
 * The server child is CPU-profiled during the measured mTLS and signed phases; the JSON summarises self time by
 * area, file and function, and gives the `.cpuprofile` paths (open them in Chrome DevTools).
 * Standalone: `npx tsx bench/soap.bench.ts`. Knobs: SOAP_BENCH_SECONDS (per measured phase, default 10),
 * SOAP_BENCH_WARMUP_SECONDS (default 2), SOAP_BENCH_MAX_REQUESTS (cap per closed-loop phase, default 40000).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadP12 } from '../src/pki/pkcs12.js';
import { DEMO_PASSWORD } from '../src/server/demo/demo-seed.js';
import { summarizeCpuProfile } from './support/cpu-profile-summary.js';
import { closedLoop, fixedRate, type PhaseResult, type Target } from './support/load-generator.js';
import { registrationBodies } from './support/registration-bodies.js';
import type { ServerCommand, ServerMessage } from './support/soap-bench-server.js';

const SECONDS = Number(process.env.SOAP_BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.SOAP_BENCH_WARMUP_SECONDS ?? 2);
const MAX_REQUESTS = Number(process.env.SOAP_BENCH_MAX_REQUESTS ?? 40_000);
const CONCURRENCY = 32;
const FIXED_RATE = 300;
const TARGETS = { mutualTlsPerSecond: 2000, mutualTlsShareOfBare: 0.25, signedPerSecond: 1000, p99MsAt300: 25 } as const;
const ENDPOINT = '/VaccinnetUPL/wupl/VaccinationService-2_1';
const ADD_ACTION = 'urn:be:fgov:ehealth:safe:vaccination:AddVaccinations';
const serverScript = fileURLToPath(new URL('./support/soap-bench-server.ts', import.meta.url));

type Ready = Extract<ServerMessage, { type: 'ready' }>;

interface ServerChild {
  readonly ready: Ready;
  command(c: ServerCommand): void;
  /** Waits for the next message of a type. */
  next<T extends ServerMessage['type']>(type: T): Promise<Extract<ServerMessage, { type: T }>>;
  stop(): Promise<void>;
}

/** Forks the bench server with tsx and waits until it listens. */
async function startServer(mode: 'registry' | 'bare', dataDir: string, persons = 0): Promise<ServerChild> {
  const child: ChildProcess = fork(serverScript, [mode, dataDir, String(persons)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const waiters: { type: string; resolve: (m: ServerMessage) => void; reject: (e: Error) => void }[] = [];
  child.on('message', (m: ServerMessage) => {
    if (m.type === 'error') {
      for (const w of waiters.splice(0)) w.reject(new Error(`${mode} server: ${m.message}`));
      return;
    }
    const i = waiters.findIndex((w) => w.type === m.type);
    if (i >= 0) waiters.splice(i, 1)[0]!.resolve(m);
  });
  child.on('exit', (code) => {
    for (const w of waiters.splice(0)) w.reject(new Error(`${mode} server exited (${code})`));
  });
  const next = <T extends ServerMessage['type']>(type: T): Promise<Extract<ServerMessage, { type: T }>> =>
    new Promise((resolve, reject) => waiters.push({ type, resolve: resolve as (m: ServerMessage) => void, reject }));
  const ready = await next('ready');
  return {
    ready,
    next,
    command: (c) => child.send(c),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.send({ type: 'stop' } satisfies ServerCommand);
      }),
  };
}

/** The call-level status code of a RegistratieService answer; an OK without a VaccinationId is not a registration. */
function classifyRegistratie(status: number, body: string): string {
  const code = /<m:Code>([^<]*)<\/m:Code>/.exec(body)?.[1] ?? `http-${status}`;
  return code === 'OK' && !body.includes('VaccinationId') ? 'OK without VaccinationId' : code;
}

const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;

/** Builds bodies and says how long the client side took (it is not part of any measured phase). */
function timed<T>(fn: () => T): { value: T; seconds: number } {
  const start = performance.now();
  const value = fn();
  return { value, seconds: round((performance.now() - start) / 1000, 2) };
}

export default async function soapBench(): Promise<Record<string, unknown>> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vaccinnet-soap-bench-'));
  const profileDir = path.join(tmpdir(), `vaccinnet-soap-bench-profiles-${Date.now()}`);
  mkdirSync(profileDir, { recursive: true });
  const closedBudget = Math.max(1, Math.round(MAX_REQUESTS));
  // Patients: warm-ups + two closed loops (at most the cap each) + two fixed-rate phases.
  const fixedCount = Math.round(FIXED_RATE * SECONDS);
  const persons = 2 * Math.ceil(2500 * WARMUP_SECONDS) + 2 * closedBudget + 2 * fixedCount;
  let registry: ServerChild | undefined;
  let bare: ServerChild | undefined;
  const agents: https.Agent[] = [];
  try {
    registry = await startServer('registry', dataDir, persons);
    bare = await startServer('bare', dataDir);
    const doctor = registry.ready.doctor!;
    const p12 = loadP12(readFileSync(doctor.p12Path), DEMO_PASSWORD);
    const key = { privateKeyPem: p12.privateKeyPem, certificateDer: p12.certificateDer };
    const agent = (withClientCertificate: boolean): https.Agent => {
      const a = new https.Agent({
        keepAlive: true,
        maxSockets: CONCURRENCY,
        ca: registry!.ready.caPem,
        ...(withClientCertificate && { cert: p12.certificatePem, key: p12.privateKeyPem }),
      });
      agents.push(a);
      return a;
    };
    const mtlsTarget: Target = { agent: agent(true), url: new URL(ENDPOINT, registry.ready.url), soapAction: ADD_ACTION, classify: classifyRegistratie };
    const signedTarget: Target = { agent: agent(false), url: new URL(ENDPOINT, registry.ready.url), soapAction: ADD_ACTION, classify: classifyRegistratie };
    const bareTarget: Target = {
      agent: agent(true),
      url: new URL(ENDPOINT, bare.ready.url),
      soapAction: ADD_ACTION,
      classify: (status) => (status === 200 ? 'OK' : `http-${status}`),
    };
    let nextPatient = 0;
    const bodies = (count: number, signed: boolean): { value: Buffer[]; seconds: number } => {
      const first = nextPatient;
      nextPatient += count;
      if (nextPatient > persons) throw new Error('the bench ran out of seeded patients');
      return timed(() => registrationBodies({ softwareId: doctor.softwareId, first, count, ...(signed && { signWith: key }) }));
    };
    const profiled = async (name: string, run: () => Promise<PhaseResult>): Promise<{ result: PhaseResult; profile: string; serverCpuMs: number }> => {
      const file = path.join(profileDir, `${name}.cpuprofile`);
      registry!.command({ type: 'profile-start' });
      // Give the child a moment to start the profiler before the load begins.
      await new Promise((r) => setTimeout(r, 200));
      const result = await run();
      registry!.command({ type: 'profile-stop', file });
      const written = await registry!.next('profile-written');
      return { result, profile: file, serverCpuMs: written.cpuMs };
    };

    // 1. The yardstick: the same TLS, the same framework, no SOAP work (one body re-sent: the endpoint ignores it).
    const bareBody = bodies(1, false).value[0]!;
    const bareBodies = new Array<Buffer>(MAX_REQUESTS * 4).fill(bareBody);
    await closedLoop(bareTarget, bareBodies, CONCURRENCY, WARMUP_SECONDS);
    const bareResult = await closedLoop(bareTarget, bareBodies, CONCURRENCY, SECONDS);
    await bare.stop();
    bare = undefined;

    // 2. Mutual TLS: the client certificate is the identity, no WS-Security header.
    const mtlsWarm = bodies(Math.ceil(2500 * WARMUP_SECONDS), false);
    await closedLoop(mtlsTarget, mtlsWarm.value, CONCURRENCY, WARMUP_SECONDS);
    const mtlsBodies = bodies(closedBudget, false);
    const mtls = await profiled('mutual-tls', () => closedLoop(mtlsTarget, mtlsBodies.value, CONCURRENCY, SECONDS));

    // 3. WS-Security signed, no client certificate; pre-signed, as many as the mTLS rate suggests can be sent.
    const signedCount = Math.min(closedBudget, Math.max(2000, Math.ceil(mtls.result.perSecond * SECONDS * 1.2)));
    const signedWarm = bodies(Math.ceil(1000 * WARMUP_SECONDS), true);
    await closedLoop(signedTarget, signedWarm.value, CONCURRENCY, WARMUP_SECONDS);
    const signedBodies = bodies(signedCount, true);
    const signed = await profiled('ws-security', () => closedLoop(signedTarget, signedBodies.value, CONCURRENCY, SECONDS));

    // 4. Latency at a fixed 300 req/s, both identities.
    const fixedMtlsBodies = bodies(fixedCount, false);
    const fixedMtls = await fixedRate(mtlsTarget, fixedMtlsBodies.value, FIXED_RATE, SECONDS);
    const fixedSignedBodies = bodies(fixedCount, true);
    const fixedSigned = await fixedRate(signedTarget, fixedSignedBodies.value, FIXED_RATE, SECONDS);

    const share = mtls.result.perSecond / bareResult.perSecond;
    return {
      setup: {
        database: 'sqlite (fresh file)',
        transport: `HTTPS keep-alive, ${CONCURRENCY} connections, server in a child process`,
        personCheck: `register (${persons} bench patients seeded)`,
        xsd: 'on',
        log: 'info, one line per call, to /dev/null',
        request: { bytes: mtlsBodies.value[0]!.length, signedBytes: signedBodies.value[0]!.length, kmehrMessages: 1 },
        clientBuildSeconds: { mutualTls: mtlsBodies.seconds, signed: signedBodies.seconds, signedPerBodyMs: round((signedBodies.seconds * 1000) / signedCount, 3) },
      },
      bareHttps: bareResult,
      mutualTls: { ...mtls.result, serverCpuMsPerRequest: round(mtls.serverCpuMs / mtls.result.requests, 3) },
      wsSecurity: { ...signed.result, serverCpuMsPerRequest: round(signed.serverCpuMs / signed.result.requests, 3) },
      fixedRate: { mutualTls: fixedMtls, wsSecurity: fixedSigned },
      targets: {
        mutualTls: { target: `≥ ${TARGETS.mutualTlsPerSecond}/s and ≥ 25 % of bare`, perSecond: mtls.result.perSecond, shareOfBarePct: round(share * 100), met: mtls.result.perSecond >= TARGETS.mutualTlsPerSecond && share >= TARGETS.mutualTlsShareOfBare },
        wsSecurity: { target: `≥ ${TARGETS.signedPerSecond}/s`, perSecond: signed.result.perSecond, met: signed.result.perSecond >= TARGETS.signedPerSecond },
        p99At300: {
          target: `≤ ${TARGETS.p99MsAt300} ms`,
          mutualTlsP99: fixedMtls.latencyMs.p99,
          wsSecurityP99: fixedSigned.latencyMs.p99,
          met: fixedMtls.latencyMs.p99 <= TARGETS.p99MsAt300 && fixedSigned.latencyMs.p99 <= TARGETS.p99MsAt300,
        },
      },
      serverCpuProfile: {
        mutualTls: { file: mtls.profile, ...summarizeCpuProfile(mtls.profile) },
        wsSecurity: { file: signed.profile, ...summarizeCpuProfile(signed.profile) },
      },
    };
  } finally {
    for (const a of agents) a.destroy();
    await bare?.stop();
    await registry?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await soapBench(), null, 2));
}
