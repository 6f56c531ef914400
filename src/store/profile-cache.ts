import type { KyselyPlugin, OperationNode, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import type { CallerIdentity } from '../registry/caller-identity.js';
import type { BindingState } from '../registry/certificate-binding.js';
import type { ProfileDirectory } from '../registry/ports.js';
import type { Profile, SoftwareRegistration } from '../registry/profile.js';

/**
 * How long a looked-up profile, softwareID registration or certificate binding list is reused. Every registration
 * needs all three; they change only by an operator's hand. THE STALENESS BOUND: a change made in this process
 * (through the store's Kysely handle: `store.profiles`, `SqlCertificateRepository(store.db)`, the admin CLI in the
 * server process) applies to the next call; a change made by ANOTHER process (the `vaccinnet admin` CLI beside a
 * running server, a second server) applies within this many milliseconds.
 */
export const PROFILE_CACHE_TTL_MS = 5_000;
/** Entries kept at most; past it the cache starts over (unknown identities must not grow memory without bound). */
const MAX_ENTRIES = 10_000;

/** The tables a profile lookup reads: any write to one of them empties the cache. */
const PROFILE_TABLES: ReadonlySet<string> = new Set([
  'doctors',
  'haio_stagemeesters',
  'organisations',
  'organisation_doctors',
  'software_ids',
  'profile_certificates',
]);

interface Entry<T> {
  readonly until: number;
  readonly value: Promise<T>;
}

/**
 * The profile port with a short-lived cache in front (see PROFILE_CACHE_TTL_MS for the staleness bound). Concurrent
 * misses for the same key share one lookup; a failed lookup is not kept.
 */
export class CachedProfileDirectory implements ProfileDirectory {
  readonly #inner: ProfileDirectory;
  readonly #ttlMs: number;
  readonly #now: () => number;
  #entries = new Map<string, Entry<unknown>>();

  /**
   * @param inner - the directory that reads the database
   * @param ttlMs - how long an answer is reused
   * @param now - monotonic milliseconds (tests may pass their own)
   */
  constructor(inner: ProfileDirectory, ttlMs = PROFILE_CACHE_TTL_MS, now: () => number = () => performance.now()) {
    this.#inner = inner;
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  /** Forgets every cached answer: called on every write to a profile table in this process. */
  invalidate(): void {
    this.#entries = new Map();
  }

  findProfile(identity: CallerIdentity): Promise<Profile | undefined> {
    const key = identity.kind === 'person' ? `p:${identity.ssin}` : `o:${identity.idType.toUpperCase()}:${identity.id}`;
    return this.#cached(key, () => this.#inner.findProfile(identity));
  }

  findSoftwareId(softwareId: string): Promise<SoftwareRegistration | undefined> {
    return this.#cached(`s:${softwareId}`, () => this.#inner.findSoftwareId(softwareId));
  }

  findCertificateBindings(profileKey: string): Promise<readonly BindingState[]> {
    return this.#cached(`b:${profileKey}`, () => this.#inner.findCertificateBindings(profileKey));
  }

  #cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const now = this.#now();
    const hit = this.#entries.get(key);
    if (hit && hit.until > now) return hit.value as Promise<T>;
    if (this.#entries.size >= MAX_ENTRIES) this.#entries = new Map();
    const entries = this.#entries;
    const value = load();
    entries.set(key, { until: now + this.#ttlMs, value });
    value.catch(() => {
      if (entries.get(key)?.value === value) entries.delete(key);
    });
    return value;
  }
}

/**
 * A Kysely plugin that calls `onChange` before and after every insert, update or delete on a profile table, so a
 * cache sees every write made through this Kysely handle — including methods added later — without each write
 * method having to remember it. Raw `sql` writes are not seen (none touch profile tables).
 * @param onChange - what to do on a write (the cache's `invalidate`)
 */
export function profileChangeWatcher(onChange: () => void): KyselyPlugin {
  const changes = new WeakSet<object>();
  return {
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      if (writesProfileTable(args.node)) {
        changes.add(args.queryId);
        onChange();
      }
      return args.node;
    },
    async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      // Again after the write: a lookup that ran meanwhile may have cached the old row.
      if (changes.has(args.queryId)) onChange();
      return args.result;
    },
  };
}

function writesProfileTable(node: RootOperationNode): boolean {
  const target: OperationNode | undefined =
    node.kind === 'InsertQueryNode' ? node.into : node.kind === 'UpdateQueryNode' ? node.table : node.kind === 'DeleteQueryNode' ? node.from : undefined;
  return target !== undefined && tableNames(target).some((name) => PROFILE_TABLES.has(name));
}

/** Table names under a target node (a table, an aliased table, or a FROM list). */
function tableNames(node: OperationNode): string[] {
  const n = node as OperationNode & { table?: { identifier?: { name?: string } }; node?: OperationNode; froms?: readonly OperationNode[] };
  if (node.kind === 'TableNode') return n.table?.identifier?.name !== undefined ? [n.table.identifier.name] : [];
  if (node.kind === 'AliasNode' && n.node) return tableNames(n.node);
  if (node.kind === 'FromNode' && n.froms) return n.froms.flatMap(tableNames);
  return [];
}
