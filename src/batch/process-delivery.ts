import type { Logger } from 'pino';
import { DEFAULT_XML_LIMITS } from '../kmehr/xml-limits.js';
import { authoriseCaller } from '../registry/authorise-caller.js';
import type { CallerIdentity } from '../registry/caller-identity.js';
import { registerSlice, type SliceCall } from '../registry/register-slice.js';
import type { RegistryPorts } from '../registry/registry-ports.js';
import { localDate } from '../registry/system-clock.js';
import { FindingError } from '../status/finding.js';
import { insertResultSlice } from '../store/batch-registration-sql.js';
import { bulkRegistrationStore } from '../store/bulk-registration-store.js';
import { LeaseLostError, type BatchTrx, type Delivery, type DeliveryRepository } from '../store/delivery-repository.js';
import { planInThread } from './planner-thread/planner-client.js';
import { resultEntry, resultSliceText } from './result-entries.js';
import { planInline, type PlannedTransaction, type PlanningJob } from './slice-planner.js';
import { storeFindings } from './stored-findings.js';

export interface ProcessorDeps {
  readonly repo: DeliveryRepository;
  readonly ports: RegistryPorts;
  readonly log: Logger;
  readonly workerId: string;
  readonly retentionDays: number;
  /** Transactions per database commit (default 250: bigger slices cost memory, smaller ones commits). */
  readonly sliceSize?: number;
  /**
   * Deliveries of at least this many bytes are read and planned on a planning thread beside the one storing them
   * (planner-thread/); smaller ones on this thread. Default 1 MiB.
   */
  readonly planningThreadFromBytes?: number;
  /** Test hook: called after each committed slice with the number of results committed so far. */
  readonly afterSlice?: (committed: number) => void | Promise<void>;
}

export type ProcessOutcome = 'processed' | 'failed' | 'lease-lost';

const DEFAULT_SLICE = 250;
const DEFAULT_PLANNING_THREAD_FROM_BYTES = 1024 * 1024;

/**
 * Processes one claimed delivery (issue 5 §3): streams its stored message (memory independent of the number of
 * folders), runs the registry's rules per transaction and stores, per slice of transactions, the accepted
 * vaccinations, their audit rows and the slice's results (one row holding one result per transaction) in ONE
 * database transaction.
 *
 * ╔══════════════════════════════════════════════════════════════════════════════════════════════════════════╗
 * ║ DELIVERY GUARANTEE — READ BEFORE CHANGING. AT-LEAST-ONCE processing, EXACTLY-ONCE effects:                 ║
 * ║  • a delivery is claimed with a lease; a worker that dies loses it and another claim re-runs the delivery; ║
 * ║  • every slice commits vaccinations + audit + results + lease renewal TOGETHER: a crash leaves either all  ║
 * ║    of a slice or none of it;                                                                             ║
 * ║  • a re-run skips the transactions that already have a result (count of committed results = position to  ║
 * ║    resume from: slices commit in document order), and a slice's results row is keyed by (delivery, its   ║
 * ║    first ordinal): a slice stored twice fails its transaction;                                           ║
 * ║  • vaccinations are unique by (patient, registrant, sender key): even a slice run twice stores a dose once;║
 * ║  • a worker whose lease was taken over cannot commit (LeaseLostError rolls the slice back).              ║
 * ║ Never commit results in a different transaction from the vaccinations they report.                      ║
 * ╚══════════════════════════════════════════════════════════════════════════════════════════════════════════╝
 */
export async function processDelivery(delivery: Delivery, deps: ProcessorDeps): Promise<ProcessOutcome> {
  const { repo, ports } = deps;
  const sliceSize = deps.sliceSize ?? DEFAULT_SLICE;
  const identity = JSON.parse(delivery.caller) as CallerIdentity;
  const auth = await authoriseCaller(identity, delivery.softwareId, ports.profiles);
  const profile = auth.ok ? auth.profile : undefined;
  const callFinding = auth.ok ? undefined : auth.finding;
  const resumeAt = await repo.committedResults(delivery.id);
  let committed = resumeAt;
  const job: PlanningJob = {
    ...(profile && { profile }),
    ...(callFinding && { callFinding }),
    softwareId: delivery.softwareId,
    today: localDate(ports.clock.now(), ports.settings.timeZone),
    resumeAt,
  };
  const call: SliceCall = {
    registrantKey: profile?.key ?? '',
    subject: identity.subject,
    softwareId: delivery.softwareId,
    channel: 'batch',
    refused: profile === undefined,
    replacesEarlier: delivery.operation === 'Aanvulling',
    source: `delivery ${delivery.id}`,
  };
  const ctx: DeliveryContext = { delivery, call, deps };
  const store = async (slice: PlannedTransaction[]): Promise<void> => {
    if (slice.length === 0) return;
    // The lease is renewed on the registry's clock, the one claims compare it with (not the wall clock).
    await repo.inBatch(delivery.id, deps.workerId, (trx) => storeSlice(trx, slice, ctx), ports.clock.now());
    committed += slice.length;
    await deps.afterSlice?.(committed);
  };
  const limits = { ...DEFAULT_XML_LIMITS, maxBytes: Math.max(delivery.bytes + 1, DEFAULT_XML_LIMITS.maxBytes) };
  const plan = delivery.bytes >= (deps.planningThreadFromBytes ?? DEFAULT_PLANNING_THREAD_FROM_BYTES) ? planInThread : planInline;

  try {
    await plan(inPieces(repo.readMessage(delivery.id, delivery.chunks)), job, ports.reference, sliceSize, limits, store);
  } catch (error) {
    if (error instanceof LeaseLostError) return 'lease-lost';
    if (error instanceof FindingError) {
      // Not parseable although it passed intake (XSD off, or a rule of our parser): the delivery as a whole fails.
      await repo.failDelivery(delivery.id, deps.workerId, ports.clock.now(), deps.retentionDays, storeFindings([error.finding]));
      deps.log.warn({ delivery: delivery.id, code: error.finding.code }, 'batch delivery could not be processed');
      return 'failed';
    }
    throw error;
  }
  const finished = await repo.finishDelivery(delivery.id, deps.workerId, ports.clock.now(), deps.retentionDays);
  return finished ? 'processed' : 'lease-lost';
}

const PIECE = 64 * 1024;

/**
 * The stored chunks (256 KiB rows) in 64 KiB views, no copy. Why: the reader decodes each piece into one string,
 * and a 256 KiB string is a large object, which V8 allocates straight into the old generation — only a major
 * collection frees it, so a 100 000-vaccination delivery grew the heap by ~100 MB of them between collections.
 */
async function* inPieces(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) for (let at = 0; at < chunk.length; at += PIECE) yield chunk.subarray(at, at + PIECE);
}

/** What every slice of one delivery shares. */
interface DeliveryContext {
  readonly delivery: Delivery;
  /** Who registers, as the registry's bulk use case takes it. */
  readonly call: SliceCall;
  readonly deps: ProcessorDeps;
}

/**
 * One planned slice, inside the slice's database transaction: the registry's bulk use case (register-slice.ts: the
 * rules that need stored state, the vaccinations and their audit rows), then the slice's results in one row.
 */
async function storeSlice(trx: BatchTrx, slice: readonly PlannedTransaction[], ctx: DeliveryContext): Promise<void> {
  const { delivery, deps } = ctx;
  const outcomes = await registerSlice(slice, ctx.call, bulkRegistrationStore(trx, deps.repo.caps), deps.ports);
  const entries: string[] = new Array<string>(slice.length);
  let accepted = 0;
  outcomes.forEach((o, i) => {
    const p = slice[i]!;
    entries[i] = resultEntry(p.result, o.code, storeFindings(p.findings), o.vaccinationId ?? null, o.replacedId ?? null);
    if (o.vaccinationId !== undefined) accepted += 1;
  });
  await insertResultSlice(trx, {
    delivery_id: delivery.id,
    first_ordinal: slice[0]!.ordinal,
    transactions: slice.length,
    accepted,
    results: resultSliceText(entries),
  });
}
