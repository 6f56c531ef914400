import type { Logger } from 'pino';
import { locate } from '../kmehr/model.js';
import { DEFAULT_XML_LIMITS } from '../kmehr/xml-limits.js';
import type { NewAuditEntry } from '../registry/audit-entry.js';
import { authoriseCaller } from '../registry/authorise-caller.js';
import type { CallerIdentity } from '../registry/caller-identity.js';
import type { Profile } from '../registry/profile.js';
import type { RegistryPorts } from '../registry/registry-ports.js';
import { localDate } from '../registry/system-clock.js';
import type { NewVaccination } from '../registry/vaccination.js';
import { messageStatus } from '../soap/envelope/status-mapping.js';
import { finding, FindingError, hasErrors, type Finding } from '../status/finding.js';
import {
  activeDoses,
  findBySenderKeys,
  findPersons,
  insertAuditRows,
  insertResultRows,
  insertVaccinationRows,
  supersede,
  type DoseKey,
} from '../store/batch-registration-sql.js';
import type { AuditLogTable, VaccinationsTable } from '../store/database.js';
import { LeaseLostError, type BatchTrx, type Delivery, type DeliveryRepository } from '../store/delivery-repository.js';
import type { DeliveryResultsTable } from '../store/delivery-tables.js';
import { auditRow, vaccinationRow } from '../store/rows.js';
import { planInThread } from './planner-thread/planner-client.js';
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

interface Plan {
  readonly p: PlannedTransaction;
  readonly findings: Finding[];
  vaccination?: NewVaccination;
  vaccinationId?: string;
  replacedId?: string;
  inserted?: boolean;
}

const DEFAULT_SLICE = 250;
const DEFAULT_PLANNING_THREAD_FROM_BYTES = 1024 * 1024;

/**
 * Processes one claimed delivery (issue 5 §3): streams its stored message (memory independent of the number of
 * folders), runs the registry's rules per transaction and stores, per slice of transactions, the accepted
 * vaccinations, their audit rows and ONE result per transaction in ONE database transaction.
 *
 * ╔══════════════════════════════════════════════════════════════════════════════════════════════════════════╗
 * ║ DELIVERY GUARANTEE — READ BEFORE CHANGING. AT-LEAST-ONCE processing, EXACTLY-ONCE effects:                 ║
 * ║  • a delivery is claimed with a lease; a worker that dies loses it and another claim re-runs the delivery; ║
 * ║  • every slice commits vaccinations + audit + results + lease renewal TOGETHER: a crash leaves either all  ║
 * ║    of a slice or none of it;                                                                             ║
 * ║  • a re-run skips the transactions that already have a result (count of committed results = position to  ║
 * ║    resume from: slices commit in document order), and results are unique by (delivery, ordinal);         ║
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
  const store = async (slice: PlannedTransaction[]): Promise<void> => {
    await repo.inBatch(delivery.id, deps.workerId, (trx) => storeSlice(trx, slice, profile, delivery, deps));
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

/** The checks that need stored state, and the writes, of one planned slice, inside the slice's database transaction. */
async function storeSlice(trx: BatchTrx, slice: readonly PlannedTransaction[], profile: Profile | undefined, delivery: Delivery, deps: ProcessorDeps): Promise<void> {
  const { ports } = deps;
  const at = ports.clock.now().toISOString();
  const plans: Plan[] = slice.map((p) => ({
    p,
    findings: p.findings,
    ...(p.vaccination && { vaccination: { ...p.vaccination, id: ports.ids.vaccinationId(), registeredAt: at } }),
  }));

  // Rule 4 (person known, register mode) and rule 9 against the registered birth date: one query per slice.
  const inszs = [...new Set(plans.flatMap((p) => (p.p.insz !== undefined ? [p.p.insz] : [])))];
  const persons = inszs.length > 0 ? await findPersons(trx, inszs) : new Map<string, string | null>();
  for (const p of plans) {
    const insz = p.p.insz;
    if (insz === undefined || hasErrors(p.findings)) continue;
    const known = persons.has(insz);
    if (!known && ports.settings.personCheck === 'register') {
      p.findings.push(finding('INSZ_UNKNOWN', { location: `${locate.patient(p.p.f)}/id`, value: insz }));
      continue;
    }
    const birthdate = persons.get(insz);
    const date = p.vaccination?.administeredOn;
    if (birthdate && date && date < birthdate && !p.findings.some((x) => x.code === 'DATE_BEFORE_BIRTH')) {
      p.findings.push(finding('DATE_BEFORE_BIRTH', { location: `${locate.item(p.p.f, p.p.t, p.p.vaccineItem)}/beginmoment/date`, value: date, params: { date: birthdate } }));
    }
  }
  const toStore = plans.filter((p): p is Plan & { vaccination: NewVaccination } => p.vaccination !== undefined && !hasErrors(p.findings));

  // Aanvulling: an earlier active transaction of this organisation with the same LOCAL id is replaced.
  const registrant = profile?.key ?? '';
  if (delivery.operation === 'Aanvulling' && toStore.length > 0) {
    const keyed = toStore.filter((p) => p.vaccination.senderKey.startsWith('local:'));
    const earlier = await findBySenderKeys(trx, registrant, keyed.map((p) => p.vaccination.senderKey));
    const active = new Map(earlier.filter((e) => e.status === 'active').map((e) => [e.sender_key, e]));
    const replaced: DoseKey[] = [];
    for (const p of keyed) {
      const old = active.get(p.vaccination.senderKey);
      if (!old) continue;
      active.delete(p.vaccination.senderKey);
      replaced.push(old);
      p.replacedId = old.id;
      p.findings.push(finding('BATCH_REPLACED', { location: locate.transaction(p.p.f, p.p.t), value: old.id }));
    }
    await supersede(trx, replaced, registrant, at, `replaced by delivery ${delivery.id}`);
  }

  // Rule 14, warning half: same patient + vaccine group + date already stored from another source.
  const stored = await activeDoses(trx, [...new Set(toStore.map((p) => p.vaccination.patientInsz))]);
  const sameDose = new Map<string, DoseKey[]>();
  for (const d of stored) {
    const k = `${d.patient_insz}|${d.vaccine_group}|${d.administered_on}`;
    const list = sameDose.get(k);
    if (list) list.push(d);
    else sameDose.set(k, [d]);
  }
  for (const p of toStore) {
    const v = p.vaccination;
    const other = sameDose.get(`${v.patientInsz}|${v.product.group}|${v.administeredOn}`)?.find((s) => !(s.registrant_key === v.registrantKey && s.sender_key === v.senderKey));
    if (other) {
      const reasons = ['same patient', `same vaccine group ${v.product.group}`, `same administration date ${v.administeredOn}`,
        other.registrant_key === v.registrantKey ? 'same registrant, other sender ids' : `other registrant ${other.registrant_key}`];
      p.findings.push(finding('PROBABLE_DUPLICATE', { location: locate.transaction(p.p.f, p.p.t), value: other.id, params: { detail: reasons.join(', ') } }));
    }
  }

  // Rule 14, idempotent half: insert-or-skip on the sender key; a skipped one reports the original VaccinationId.
  const rows: VaccinationsTable[] = toStore.map((p) => vaccinationRow(p.vaccination));
  const inserted = await insertVaccinationRows(trx, deps.repo.caps, rows);
  const skipped = toStore.filter((p) => !inserted.has(p.vaccination.id));
  const existing = skipped.length > 0 ? await findBySenderKeys(trx, registrant, skipped.map((p) => p.vaccination.senderKey)) : [];
  const byKey = new Map(existing.map((e) => [`${e.patient_insz}|${e.sender_key}`, e.id]));
  for (const p of toStore) {
    if (inserted.has(p.vaccination.id)) {
      p.vaccinationId = p.vaccination.id;
      p.inserted = true;
      continue;
    }
    const original = byKey.get(`${p.vaccination.patientInsz}|${p.vaccination.senderKey}`);
    if (original !== undefined) {
      p.vaccinationId = original;
      p.findings.push(finding('DUPLICATE_REPLAY', { location: locate.transaction(p.p.f, p.p.t), value: original }));
    }
  }

  const subject = (JSON.parse(delivery.caller) as CallerIdentity).subject;
  const codes = plans.map((p) => messageStatus(p.findings).code);
  const audits: AuditLogTable[] = plans.map((p, n) => auditRow(auditOf(p, codes[n]!, delivery, subject, profile, ports.ids.auditId(), at)));
  await insertAuditRows(trx, deps.repo.caps, audits);
  await insertResultRows(trx, deps.repo.caps, plans.map((p, n) => resultRow(p, codes[n]!, delivery.id)));
}

function auditOf(p: Plan, code: string, delivery: Delivery, subject: string, profile: Profile | undefined, id: string, at: string): NewAuditEntry {
  const base = {
    id, at, actor: profile?.key ?? '', subject, channel: 'batch' as const, softwareId: delivery.softwareId,
    patientInsz: p.p.insz ?? '', detail: `delivery ${delivery.id}, folder ${p.p.f + 1}, transaction ${p.p.t + 1}`,
  };
  if (p.vaccinationId === undefined) return { ...base, action: 'refuse', outcome: code };
  return { ...base, action: p.inserted ? 'register' : 'replay', outcome: p.inserted ? code : 'DUPLICATE_REPLAY', vaccinationId: p.vaccinationId };
}

function resultRow(p: Plan, code: string, deliveryId: string): DeliveryResultsTable {
  return {
    delivery_id: deliveryId,
    ordinal: p.p.ordinal,
    folder_index: p.p.f,
    transaction_index: p.p.t,
    folder_ids: p.p.folderIds,
    patient: p.p.insz ?? '',
    patient_text: p.p.patientText ?? null,
    transaction_ids: p.p.transactionIds,
    result_code: code,
    findings: storeFindings(p.findings),
    vaccination_id: p.vaccinationId ?? null,
    replaced_id: p.replacedId ?? null,
  };
}
