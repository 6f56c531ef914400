/**
 * The server side of the SOAP bench, run in its own child process so the server and the load generator each get a
 * core and do not share an event loop. `registry` starts the real registry (SQLite, demo profiles, the development
 * CA, XSD on) with `persons` register entries seeded; `bare` starts a plain Fastify HTTPS endpoint with the same TLS
 * settings that answers a small XML body (the yardstick). Talks to the parent over IPC (see `ServerMessage`).
 * Usage (by the bench): `node --import tsx bench/support/soap-bench-server.ts <registry|bare> <dataDir> <persons>`; the
 * registry code it runs is the compiled dist/ (compiled-module.ts).
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import Fastify, { LogController } from 'fastify';
import pino from 'pino';
import type { Person } from '../../src/registry/person.js';
import { importCompiled } from './compiled-module.js';
import { startCpuProfile, type CpuProfileRecorder } from './cpu-profile-recorder.js';
import { REPO_ROOT } from './repo-root.js';

// The registry as users run it: the compiled dist/ (the bench builds it first), not the sources through tsx.
const { loadConfig } = await importCompiled<typeof import('../../src/config/load-config.js')>('config/load-config.js');
const { inszFor } = await importCompiled<typeof import('../../src/kmehr/identifiers/synthetic-insz.js')>('kmehr/identifiers/synthetic-insz.js');
const { ensureDevPki } = await importCompiled<typeof import('../../src/server/dev-pki.js')>('server/dev-pki.js');
const { startRegistry } = await importCompiled<typeof import('../../src/server/start-registry.js')>('server/start-registry.js');

/** Parent → child. */
export type ServerCommand =
  { readonly type: 'profile-start' } | { readonly type: 'profile-stop'; readonly file: string } | { readonly type: 'cpu' } | { readonly type: 'stop' };

/** Child → parent. */
export type ServerMessage =
  | {
      readonly type: 'ready';
      readonly url: string;
      readonly caPem: string;
      /** The demo doctor's .p12 (registry mode). */
      readonly doctor?: { readonly p12Path: string; readonly softwareId: string };
      readonly startupMs: number;
    }
  | { readonly type: 'profile-written'; readonly file: string; readonly cpuMs: number }
  /** CPU time this process has used so far (user + system), ms. */
  | { readonly type: 'cpu'; readonly cpuMs: number }
  | { readonly type: 'error'; readonly message: string };

/** Fake register entry for `inszFor(n)`: the birth date is the one the INSZ encodes (born 1950-01-01 + ⌊n / 499⌋ days). */
export function benchPerson(n: number): Person {
  const birth = new Date(Date.UTC(1950, 0, 1 + Math.floor(n / 499))).toISOString().slice(0, 10);
  return { insz: inszFor(n), firstname: 'Bench', familyname: `Patient ${n}`, birthdate: birth, sex: 'male' };
}

function send(message: ServerMessage): void {
  process.send?.(message);
}

const quiet = new Writable({ write: (_c, _e, done) => done() });

interface BenchServer {
  readonly url: string;
  readonly caPem: string;
  readonly doctor?: { readonly p12Path: string; readonly softwareId: string };
  close(): Promise<void>;
}

async function startRegistryMode(dataDir: string, persons: number): Promise<BenchServer> {
  const config = loadConfig({
    env: {},
    overrides: {
      dataDir,
      'pki.dir': path.join(dataDir, 'pki'),
      'database.url': `sqlite:${path.join(dataDir, 'vaccinnet.db')}`,
      'server.port': 0,
      'kmehr.schemaDir': path.resolve(REPO_ROOT, '../shared/kmehr/schema'),
      // Production log level: one line per SOAP call is part of the real cost (written to /dev/null here).
      'log.level': 'info',
    },
  });
  const registry = await startRegistry({ config, demo: true, logDestination: pino.destination({ dest: '/dev/null', sync: false }) });
  if (!registry.xsdEnabled) throw new Error('the KMEHR XSD did not load: the bench would measure less than production does');
  const batch: Person[] = [];
  for (let n = 0; n < persons; n++) batch.push(benchPerson(n));
  await registry.store.persons.upsertPersons(batch);
  const peeters = registry.demo?.certificates.find((c) => c.persona === 'peeters');
  if (!peeters || !registry.caPem) throw new Error('demo doctor Peeters or the development CA is missing');
  return { url: registry.url, caPem: registry.caPem, close: () => registry.close(), doctor: { p12Path: peeters.p12Path, softwareId: peeters.softwareId } };
}

/** The yardstick: Fastify over HTTPS with the registry's TLS options (client certificate requested), one small XML answer. */
async function startBareMode(dataDir: string): Promise<BenchServer> {
  const config = loadConfig({ env: {}, overrides: { dataDir, 'pki.dir': path.join(dataDir, 'pki') } });
  const pki = await ensureDevPki(config);
  const app = Fastify({
    loggerInstance: pino({ level: 'info' }, quiet),
    logController: new LogController({ disableRequestLogging: true }),
    https: { key: pki.tls.keyPem, cert: pki.tls.certPem, ca: [pki.ca.certificatePem], requestCert: true, rejectUnauthorized: false },
    keepAliveTimeout: 65_000,
    bodyLimit: config.server.maxRequestBytes,
  });
  app.addContentTypeParser('text/xml', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  const answer = '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><ok/></soapenv:Body></soapenv:Envelope>';
  app.post('/*', async (_req, reply) => reply.header('content-type', 'text/xml; charset=utf-8').send(answer));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  return { url: `https://127.0.0.1:${port}`, caPem: readFileSync(pki.ca.certificatePath, 'utf8'), close: () => app.close() };
}

async function main(argv: readonly string[]): Promise<void> {
  const [mode, dataDir, persons] = argv;
  if ((mode !== 'registry' && mode !== 'bare') || !dataDir) throw new Error('usage: soap-bench-server.ts <registry|bare> <dataDir> [persons]');
  const started = performance.now();
  const server: BenchServer = mode === 'registry' ? await startRegistryMode(dataDir, Number(persons ?? 0)) : await startBareMode(dataDir);
  let profile: CpuProfileRecorder | undefined;
  process.on('message', (command: ServerCommand) => {
    void (async () => {
      if (command.type === 'profile-start') {
        profile = await startCpuProfile();
      } else if (command.type === 'profile-stop' && profile) {
        const cpuMs = await profile.stop(command.file);
        profile = undefined;
        send({ type: 'profile-written', file: command.file, cpuMs });
      } else if (command.type === 'cpu') {
        const used = process.cpuUsage();
        send({ type: 'cpu', cpuMs: (used.user + used.system) / 1000 });
      } else if (command.type === 'stop') {
        await server.close();
        process.disconnect?.();
      }
    })().catch((error: unknown) => send({ type: 'error', message: String(error) }));
  });
  send({
    type: 'ready',
    url: server.url,
    caPem: server.caPem,
    ...(server.doctor && { doctor: server.doctor }),
    startupMs: Math.round(performance.now() - started),
  });
}

main(process.argv.slice(2)).catch((error: unknown) => {
  send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exitCode = 1;
  process.disconnect?.();
});
