import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openStore } from '../open-store.js';
import type { Store } from '../store.js';

export type EngineName = 'sqlite' | 'postgres';

export interface TestEngine {
  readonly name: EngineName;
  /** Opens and migrates a fresh, empty store: a new SQLite file, or a new PostgreSQL schema. */
  open(): Promise<Store>;
  /** The URL `open()` last used (e.g. to open a second store on the same data). */
  readonly lastUrl: () => string;
}

let counter = 0;
// Removed when the test process exits, not on close: a test may reopen the same file (durability, migrations).
const tempDirs: string[] = [];
process.on('exit', () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * The engines the store and registry suites loop over: `VACCINNET_TEST_ENGINES` (default both; global setup
 * sets it), PostgreSQL at `VACCINNET_TEST_PG_URL`. Every `open()` gets its own database or schema, so tests never
 * truncate or race on shared rows.
 */
export function testEngines(): readonly TestEngine[] {
  const names = (process.env.VACCINNET_TEST_ENGINES ?? 'sqlite,postgres').split(',').map((s) => s.trim()) as EngineName[];
  return names.filter((n) => n === 'sqlite' || n === 'postgres').map(engine);
}

function engine(name: EngineName): TestEngine {
  let last = '';
  const open = async (): Promise<Store> => {
    counter += 1;
    if (name === 'sqlite') {
      const dir = mkdtempSync(path.join(tmpdir(), 'vaccinnet-store-'));
      last = `sqlite:${path.join(dir, 'registry.db')}`;
      tempDirs.push(dir);
      const store = await openStore(last);
      await store.migrate();
      return store;
    }
    const base = process.env.VACCINNET_TEST_PG_URL;
    if (!base) throw new Error('VACCINNET_TEST_PG_URL is not set (vitest global setup creates it)');
    const url = new URL(base);
    url.searchParams.set('schema', `t_${process.pid}_${Date.now().toString(36)}_${counter}`);
    last = url.toString();
    const store = await openStore(last);
    await store.migrate();
    return store;
  };
  return { name, open, lastUrl: () => last };
}
