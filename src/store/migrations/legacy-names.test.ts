import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Migrator, sql, type Migration, type MigrationProvider } from 'kysely';
import { describe, expect, it } from 'vitest';
import { allFindings, registerVaccinations } from '../../registry/register-vaccinations.js';
import { DOCTORS, IDENTITIES, PATIENTS, SOFTWARE_IDS, fixedClock, personaMessage, seedPersonas, sequentialIds } from '../../registry/testing/index.js';
import type { StoreCapabilities } from '../capabilities.js';
import { openStore } from '../open-store.js';
import { registryPortsOf } from '../registry-ports-of.js';
import type { Store } from '../store.js';
import { testEngines } from '../testing/test-engines.js';
import { migrationProvider } from './index.js';
import { LEGACY_MIGRATION_NAMES } from './legacy-names.js';

/** The step names releases before the renumbering stored, in their order: written out, not derived from the map. */
const OLD_NAMES = [
  '0001-registry-core',
  '0002-batch',
  '0003-disable-stock-change',
  '0003-profile-certificates',
  '0004-history-index',
  '0005-delivery-retries',
  '0005-replay-cache',
  '0005-result-patient-text',
  '0006-lean-indexes',
  '0007-result-slices',
  '0008-replay-content-digest',
  '0009-signature-replays',
];
/** The steps an older release had, under their new names (in the same order as OLD_NAMES). */
const RENUMBERED = [
  '0001-registry-core',
  '0002-batch',
  '0003-disable-stock-change',
  '0004-profile-certificates',
  '0005-history-index',
  '0006-delivery-retries',
  '0007-replay-cache',
  '0008-result-patient-text',
  '0009-lean-indexes',
  '0010-result-slices',
  '0011-replay-content-digest',
  '0012-signature-replays',
];
/** Steps added after the renumbering have no old name: a database of an older release gets them as new. */
const ADDED_SINCE = ['0013-access-model', '0014-vaccination-id-index'];
const NEW_NAMES = [...RENUMBERED, ...ADDED_SINCE];

/** The current steps under the names an older release gave them: what its Migrator wrote into `kysely_migration`. */
async function oldRelease(caps: StoreCapabilities): Promise<MigrationProvider> {
  const steps = await migrationProvider(caps).getMigrations();
  const names = Object.keys(steps).sort();
  // Only the steps that release had: those added since come under their own (new) names.
  const old: Record<string, Migration> = Object.fromEntries(OLD_NAMES.map((name, i) => [name, steps[names[i]!]!]));
  return { getMigrations: async () => old };
}

/** A store on a new file or schema, migrated by an older release up to (and with) its step `upTo`. */
async function storeOfOldRelease(engine: string, upTo: string): Promise<{ store: Store; url: string }> {
  let url: string;
  if (engine === 'sqlite') url = `sqlite:${path.join(mkdtempSync(path.join(tmpdir(), 'vaccinnet-legacy-')), 'registry.db')}`;
  else {
    const u = new URL(process.env.VACCINNET_TEST_PG_URL!);
    u.searchParams.set('schema', `legacy_${process.pid}_${Date.now().toString(36)}_${upTo.slice(0, 4)}`);
    url = u.toString();
  }
  const store = await openStore(url);
  const schema = engine === 'postgres' ? new URL(url).searchParams.get('schema')! : undefined;
  if (schema) await sql`create schema if not exists ${sql.id(schema)}`.execute(store.db);
  const migrator = new Migrator({ db: store.db, provider: await oldRelease(store.capabilities), ...(schema && { migrationTableSchema: schema }) });
  const { error } = await migrator.migrateTo(upTo);
  if (error) throw error;
  return { store, url };
}

async function storedNames(store: Store): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(store.db);
  return rows.map((r) => r.name);
}

const register = (store: Store, lot: string) =>
  registerVaccinations(
    {
      caller: IDENTITIES.peeters,
      softwareId: SOFTWARE_IDS.peeters,
      channel: 'registratie',
      messages: [personaMessage({ sender: DOCTORS.peeters, messageId: '14700250004.legacy-1', item: { batch: lot } })],
    },
    registryPortsOf(store, { clock: fixedClock('2024-03-10T09:00:00Z'), ids: sequentialIds() }),
  );
const codesOf = (outcome: Awaited<ReturnType<typeof register>>): string[] =>
  outcome.ok ? outcome.messages.flatMap((m) => allFindings(m).map((f) => f.code)) : ['refused'];

describe('migration names', () => {
  it('every step has a number of its own, and the old names map onto the new ones in the same order', async () => {
    const names = Object.keys(await migrationProvider({ engine: 'sqlite' } as StoreCapabilities).getMigrations()).sort();
    expect(names).toEqual(NEW_NAMES);
    expect(new Set(names.map((n) => n.slice(0, 4))).size).toBe(names.length);
    expect(OLD_NAMES.map((n) => LEGACY_MIGRATION_NAMES[n] ?? n)).toEqual(RENUMBERED);
  });
});

for (const engine of testEngines()) {
  describe(`migration names of older releases (${engine.name})`, () => {
    it('a database fully migrated under the old names opens, keeps its data, applies only the steps added since and carries the new names', async () => {
      const { store: old, url } = await storeOfOldRelease(engine.name, '0009-signature-replays');
      let id: string | undefined;
      try {
        expect(await storedNames(old)).toEqual([...OLD_NAMES].sort());
        await seedPersonas(old);
        const outcome = await register(old, 'FK1234');
        expect(codesOf(outcome)).toEqual([]);
        id = outcome.ok ? outcome.messages[0]!.transactions[0]!.vaccinationId : undefined;
      } finally {
        await old.close();
      }
      expect(id).toBeDefined();

      const store = await openStore(url);
      try {
        expect(await store.migrate()).toEqual(ADDED_SINCE);
        expect(await storedNames(store)).toEqual(NEW_NAMES);
        expect((await store.vaccinations.history(PATIENTS.jan.insz)).map((v) => [v.id, v.lot])).toEqual([[id, 'FK1234']]);
        // The stored row still answers as the registry's own: the same registration again is its replay.
        expect(codesOf(await register(store, 'FK1234'))).toEqual(['DUPLICATE_REPLAY']);
        // Opening again renames nothing and applies nothing.
        expect(await store.migrate()).toEqual([]);
        expect(await storedNames(store)).toEqual(NEW_NAMES);
      } finally {
        await store.close();
      }
    }, 60_000);

    it('a database part-migrated under the old names gets its remaining steps under the new names, its rows kept', async () => {
      const { store: old, url } = await storeOfOldRelease(engine.name, '0007-result-slices');
      try {
        await seedPersonas(old);
      } finally {
        await old.close();
      }
      const store = await openStore(url);
      try {
        const persons = await store.db.selectFrom('persons').select('insz').orderBy('insz').execute();
        expect(persons.length).toBeGreaterThan(0);
        expect(await store.migrate()).toEqual(['0011-replay-content-digest', '0012-signature-replays', ...ADDED_SINCE]);
        expect(await storedNames(store)).toEqual(NEW_NAMES);
        expect(await store.db.selectFrom('persons').select('insz').orderBy('insz').execute()).toEqual(persons);
        expect(codesOf(await register(store, 'FK1234'))).toEqual([]);
      } finally {
        await store.close();
      }
    }, 60_000);

    it('a fresh database gets the new names', async () => {
      const store = await engine.open();
      try {
        expect(await storedNames(store)).toEqual(NEW_NAMES);
      } finally {
        await store.close();
      }
    });
  });
}
