import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../config/load-config.js';
import { startRegistry, type RunningRegistry } from '../start-registry.js';

export interface LogLine {
  readonly level: number;
  readonly msg?: string;
  readonly err?: { readonly stack?: string };
  readonly [key: string]: unknown;
}

export interface RegistryWithLog {
  readonly registry: RunningRegistry;
  readonly dataDir: string;
  /** Every JSON log line written so far, parsed. */
  readonly lines: LogLine[];
  close(): Promise<void>;
}

/**
 * A real registry on a free port (SQLite in a fresh data dir, the development CA, the demo profiles, no XSD, no
 * batch worker) whose log lines the test can read: transport tests assert on what an operator would see.
 */
export async function startRegistryWithLog(overrides: Record<string, unknown> = {}): Promise<RegistryWithLog> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vaccinnet-transport-'));
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l) as LogLine);
      done();
    },
  });
  const config = loadConfig({
    env: {},
    overrides: {
      dataDir,
      'server.port': 0,
      'kmehr.schemaDir': '',
      'log.level': 'info',
      'batch.workerInProcess': false,
      ...overrides,
    },
  });
  const registry = await startRegistry({ config, demo: true, logDestination: sink });
  return {
    registry,
    dataDir,
    lines,
    async close() {
      await registry.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
