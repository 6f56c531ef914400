import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from './open-store.js';
import type { Store } from './store.js';
import { testEngines } from './testing/test-engines.js';

const NOW = new Date('2026-12-07T10:00:00Z');
const LATER = new Date(NOW.getTime() + 600_000);

describe.each(testEngines())('signature replays on $name', (engine) => {
  const opened: Store[] = [];
  const open = async (): Promise<Store> => {
    const store = await engine.open();
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });

  it('accepts a signature once within its window, again after the window closed', async () => {
    const store = await open();
    expect(await store.signatureReplays.claim('a'.repeat(64), LATER, NOW)).toBe(true);
    expect(await store.signatureReplays.claim('a'.repeat(64), LATER, new Date(NOW.getTime() + 1000))).toBe(false);
    expect(await store.signatureReplays.claim('b'.repeat(64), LATER, NOW)).toBe(true);
    // Past its window the row is taken over (the Timestamp check refuses such a request before it gets here anyway).
    expect(await store.signatureReplays.claim('a'.repeat(64), new Date(LATER.getTime() + 600_000), LATER)).toBe(true);
  });

  it('lets one of many concurrent claims of the same signature win', async () => {
    const store = await open();
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => store.signatureReplays.claim('c'.repeat(64), LATER, NOW)));
    expect(outcomes.filter(Boolean)).toHaveLength(1);
  });

  it('is shared by two stores on the same database (two registry nodes)', async () => {
    const first = await open();
    const second = await openStore(engine.lastUrl());
    opened.push(second);
    expect(await first.signatureReplays.claim('d'.repeat(64), LATER, NOW)).toBe(true);
    expect(await second.signatureReplays.claim('d'.repeat(64), LATER, NOW)).toBe(false);
  });

  // Defined for PostgreSQL only (not a skipped test on SQLite, which has no such thing).
  if (engine.name === 'postgres') {
    it('is an UNLOGGED table on PostgreSQL (a claim waits for no WAL flush)', async () => {
      const store = await open();
      const { rows } = await sql<{ p: string }>`select relpersistence as p from pg_class where oid = to_regclass('signature_replays')`.execute(store.db);
      expect(rows).toEqual([{ p: 'u' }]);
    });
  }

  it('prunes the rows whose window has closed, and only those', async () => {
    const store = await open();
    await store.signatureReplays.claim('e'.repeat(64), new Date(NOW.getTime() + 1000), NOW);
    await store.signatureReplays.claim('f'.repeat(64), LATER, NOW);
    expect(await store.signatureReplays.prune(new Date(NOW.getTime() + 2000))).toBe(1);
    const { rows } = await sql<{ signature_hash: string }>`select signature_hash from signature_replays`.execute(store.db);
    expect(rows.map((r) => r.signature_hash)).toEqual(['f'.repeat(64)]);
  });
});
