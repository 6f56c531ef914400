import https from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { DestinationStream } from 'pino';
import { loadConfig } from '../../src/config/load-config.js';
import type { RegistryConfig } from '../../src/config/registry-config.js';
import { loadP12, type P12Contents } from '../../src/pki/pkcs12.js';
import { DEMO_PASSWORD } from '../../src/server/demo/demo-seed.js';
import { startRegistry, type RunningRegistry } from '../../src/server/start-registry.js';

export const REPO_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const SCHEMA_DIR = path.resolve(REPO_ROOT, '../shared/kmehr/schema');

export interface RegistryUnderTest {
  readonly registry: RunningRegistry;
  readonly dataDir: string;
  readonly url: string;
  /** Trusts the development CA that issued the server certificate. */
  readonly agent: https.Agent;
  /** The demo .p12 of a persona (peeters, maes, janssens, deLinde, azGroeninge), opened. */
  credentials(persona: string): P12Contents & { readonly p12Path: string; readonly softwareId: string };
  close(): Promise<void>;
}

/** A real registry on a free port with a fresh data dir (SQLite unless `databaseUrl`), dev CA and demo profiles. */
export async function startRegistryUnderTest(
  options: { databaseUrl?: string; overrides?: Record<string, unknown>; logDestination?: DestinationStream } = {},
): Promise<RegistryUnderTest> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vaccinnet-e2e-'));
  const config: RegistryConfig = loadConfig({
    env: {},
    overrides: {
      dataDir,
      'pki.dir': path.join(dataDir, 'pki'),
      'database.url': options.databaseUrl ?? `sqlite:${path.join(dataDir, 'vaccinnet.db')}`,
      'server.port': 0,
      'kmehr.schemaDir': SCHEMA_DIR,
      'log.level': 'warn',
      ...options.overrides,
    },
  });
  const registry = await startRegistry({
    config,
    demo: true,
    logDestination: options.logDestination ?? new Writable({ write: (_c, _e, done) => done() }),
  });
  const agent = new https.Agent({ ca: registry.caPem, keepAlive: true });
  return {
    registry,
    dataDir,
    url: registry.url,
    agent,
    credentials(persona) {
      const cert = registry.demo?.certificates.find((c) => c.persona === persona);
      if (!cert) throw new Error(`no demo certificate for ${persona}`);
      return { ...loadP12(readFileSync(cert.p12Path), DEMO_PASSWORD), p12Path: cert.p12Path, softwareId: cert.softwareId };
    },
    async close() {
      agent.destroy();
      await registry.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
