import type { Logger } from 'pino';
import { locate } from '../kmehr/model.js';
import { DEFAULT_XML_LIMITS } from '../kmehr/xml-limits.js';
import { authoriseCaller } from '../registry/authorise-caller.js';
import { sameContent, type DigestedDose } from '../registry/content-digest.js';
import type { CallerIdentity } from '../registry/caller-identity.js';
import { patientDataFindings, type RegisteredPatient } from '../registry/patient-data.js';
import { auditPatientKey } from '../registry/patient-id.js';
import type { Profile } from '../registry/profile.js';
import { idsReused } from '../registry/register-vaccinations.js';
import type { RegistryPorts } from '../registry/registry-ports.js';
import { localDate } from '../registry/system-clock.js';
import { messageStatus } from '../status/message-status.js';
import { finding, FindingError, hasErrors } from '../status/finding.js';
import {
  activeDoses,
  findBySenderKeys,
  findPersons,
  findStoredUnderKeys,
  insertAuditRows,
  insertResultSlice,
  insertVaccinationRows,
  supersede,
  type DoseKey,
  type RegisteredPerson,
  type StoredUnderKey,
} from '../store/batch-registration-sql.js';
import { LeaseLostError, type BatchTrx, type Delivery, type DeliveryRepository } from '../store/delivery-repository.js';
import { BATCH_VACCINATION as V } from '../store/delivery-tables.js';
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
  const ctx: DeliveryContext = { delivery, profile, registrant: profile?.key ?? '', subject: identity.subject, deps };
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
  readonly profile: Profile | undefined;
  /** The organisation's key: registrant of the vaccinations, actor of the audit rows ('' without a profile). */
  readonly registrant: string;
  /** The authenticated caller's subject, for the audit rows. */
  readonly subject: string;
  readonly deps: ProcessorDeps;
}

/**
 * The checks that need stored state, and the writes, of one planned slice, inside the slice's database transaction.
 * The vaccination rows arrive made (slice-planner.ts): this thread gives them ids, checks them against the store and
 * binds them; one audit row per transaction; the slice's results in one row.
 */
async function storeSlice(trx: BatchTrx, slice: readonly PlannedTransaction[], ctx: DeliveryContext): Promise<void> {
  const { delivery, registrant, deps } = ctx;
  const { ports } = deps;
  const caps = deps.repo.caps;
  const at = ports.clock.now().toISOString();
  const n = slice.length;
  /** The VaccinationId each transaction reports (stored now, or the original of a replay). */
  const vaccinationIds: (string | undefined)[] = new Array<string | undefined>(n);
  const replacedIds: (string | undefined)[] = new Array<string | undefined>(n);
  const inserted: boolean[] = new Array<boolean>(n).fill(false);
  for (const p of slice) {
    if (!p.row) continue;
    p.row[V.id] = ports.ids.vaccinationId();
    p.row[V.registeredAt] = at;
  }

  // Rule 4 (person known, register mode) and rule 9 against the registered birth date: one query per slice.
  const inszs = [...new Set(slice.flatMap((p) => (p.insz !== undefined ? [p.insz] : [])))];
  const persons = inszs.length > 0 ? await findPersons(trx, caps, inszs) : new Map<string, RegisteredPerson>();
  for (const p of slice) {
    const insz = p.insz;
    if (insz === undefined || hasErrors(p.findings)) continue;
    const known = persons.has(insz);
    if (!known && ports.settings.personCheck === 'register') {
      p.findings.push(finding('INSZ_UNKNOWN', { location: `${locate.patient(p.f)}/id`, value: insz }));
      continue;
    }
    const person = persons.get(insz);
    // Patient data contradicting the register: stored, with a warning per field (issue 11.9; patient-data.ts).
    if (person) p.findings.push(...patientDataFindings(p.patient, registered(person), p.f));
    const birthdate = person?.birthdate;
    const date = p.row?.[V.administeredOn] as string | undefined;
    if (birthdate && date && date < birthdate && !p.findings.some((x) => x.code === 'DATE_BEFORE_BIRTH')) {
      p.findings.push(
        finding('DATE_BEFORE_BIRTH', { location: `${locate.item(p.f, p.t, p.vaccineItem)}/beginmoment/date`, value: date, params: { date: birthdate } }),
      );
    }
  }
  /** Positions in the slice of the transactions to store. */
  const toStore: number[] = [];
  for (let i = 0; i < n; i++) if (slice[i]!.row && !hasErrors(slice[i]!.findings)) toStore.push(i);
  const rowOf = (i: number): unknown[] => slice[i]!.row!;
  const senderKeyOf = (i: number): string => rowOf(i)[V.senderKey] as string;

  // Aanvulling: an earlier active transaction of this organisation with the same LOCAL id is replaced.
  if (delivery.operation === 'Aanvulling' && toStore.length > 0) {
    const keyed = toStore.filter((i) => senderKeyOf(i).startsWith('local:'));
    const earlier = await findBySenderKeys(trx, registrant, keyed.map(senderKeyOf));
    const active = new Map(earlier.filter((e) => e.status === 'active').map((e) => [e.sender_key, e]));
    const replaced: DoseKey[] = [];
    for (const i of keyed) {
      const old = active.get(senderKeyOf(i));
      if (!old) continue;
      const p = slice[i]!;
      active.delete(senderKeyOf(i));
      replaced.push(old);
      replacedIds[i] = old.id;
      p.findings.push(finding('BATCH_REPLACED', { location: locate.transaction(p.f, p.t), value: old.id }));
    }
    await supersede(trx, replaced, registrant, at, `replaced by delivery ${delivery.id}`);
  }

  // Rule 14, warning half: same patient + vaccine group + date already stored from another source.
  const stored = toStore.length > 0 ? await activeDoses(trx, caps, [...new Set(toStore.map((i) => rowOf(i)[V.patient] as string))]) : [];
  if (stored.length > 0) {
    const sameDose = new Map<string, DoseKey[]>();
    for (const d of stored) {
      const k = `${d.patient_insz}|${d.vaccine_group}|${d.administered_on}`;
      const list = sameDose.get(k);
      if (list) list.push(d);
      else sameDose.set(k, [d]);
    }
    for (const i of toStore) {
      const row = rowOf(i);
      const [patient, group, date, key] = [row[V.patient] as string, row[V.group] as string, row[V.administeredOn] as string, row[V.senderKey] as string];
      const other = sameDose.get(`${patient}|${group}|${date}`)?.find((s) => !(s.registrant_key === registrant && s.sender_key === key));
      if (other) {
        const p = slice[i]!;
        const reasons = [
          'same patient',
          `same vaccine group ${group}`,
          `same administration date ${date}`,
          other.registrant_key === registrant ? 'same registrant, other sender ids' : `other registrant ${other.registrant_key}`,
        ];
        p.findings.push(finding('PROBABLE_DUPLICATE', { location: locate.transaction(p.f, p.t), value: other.id, params: { detail: reasons.join(', ') } }));
      }
    }
  }

  // Rule 14, idempotent half: insert-or-skip on the sender key; a skipped one reports the original VaccinationId.
  const wasInserted = await insertVaccinationRows(trx, caps, toStore.map(rowOf));
  const skipped: number[] = [];
  toStore.forEach((i, k) => {
    if (wasInserted[k]) {
      inserted[i] = true;
      vaccinationIds[i] = rowOf(i)[V.id] as string;
    } else skipped.push(i);
  });
  // A skipped one is a replay only with the same content (issue 11.1); other content under the same ids is refused.
  if (skipped.length > 0) {
    const existing = await findStoredUnderKeys(trx, registrant, skipped.map(senderKeyOf));
    const byKey = new Map(existing.map((e) => [`${e.patient_insz}|${e.sender_key}`, e]));
    for (const i of skipped) {
      const p = slice[i]!;
      const row = rowOf(i);
      const original = byKey.get(`${row[V.patient] as string}|${senderKeyOf(i)}`);
      if (original === undefined) continue;
      if (sameContent(offeredContent(row), storedContent(original))) {
        vaccinationIds[i] = original.id;
        p.findings.push(finding('DUPLICATE_REPLAY', { location: locate.transaction(p.f, p.t), value: original.id }));
      } else {
        // our choice: refused, nothing stored or overwritten; the refusal's audit row is written below as any other.
        const ids = {
          senderKey: senderKeyOf(i),
          senderMessageId: (row[V.senderMessageId] as string | null) ?? undefined,
          senderLocalId: (row[V.senderLocalId] as string | null) ?? undefined,
        };
        p.findings.push(idsReused(ids, original, p.f, p.t));
      }
    }
  }

  // One audit row per transaction (register / replay / refuse), in BATCH_AUDIT_COLUMNS order — as auditRow
  // (store/rows.ts) lays out an audit entry — and the slice's results.
  const audits: unknown[][] = new Array<unknown[]>(n);
  const entries: string[] = new Array<string>(n);
  let accepted = 0;
  for (let i = 0; i < n; i++) {
    const p = slice[i]!;
    // messageStatus renders texts too: only worth it when there is a finding.
    const code = p.findings.length === 0 ? 'OK' : messageStatus(p.findings).code;
    const vid = vaccinationIds[i];
    const [action, outcome] = vid === undefined ? ['refuse', code] : inserted[i] ? ['register', code] : ['replay', 'DUPLICATE_REPLAY'];
    // A refused transaction's patient number may be anything: only a valid INSZ becomes the patient key (issue 11.2).
    audits[i] = [
      vid === undefined ? auditPatientKey(p.insz) : (p.insz ?? ''),
      ports.ids.auditId(),
      at,
      action,
      outcome,
      vid ?? null,
      registrant,
      ctx.subject,
      'batch',
      delivery.softwareId,
      `delivery ${delivery.id}, folder ${p.f + 1}, transaction ${p.t + 1}`,
    ];
    entries[i] = resultEntry(p.result, code, storeFindings(p.findings), vid ?? null, replacedIds[i] ?? null);
    if (vid !== undefined) accepted += 1;
  }
  await insertAuditRows(trx, caps, audits);
  await insertResultSlice(trx, { delivery_id: delivery.id, first_ordinal: slice[0]!.ordinal, transactions: n, accepted, results: resultSliceText(entries) });
}

/** The content of a planned row (BATCH_VACCINATION_COLUMNS), with the digest the planner computed. */
function offeredContent(row: readonly unknown[]): DigestedDose & { contentDigest?: string } {
  return {
    patientInsz: row[V.patient] as string,
    administeredOn: row[V.administeredOn] as string,
    responsibleNihii: (row[V.responsibleNihii] as string | null) ?? undefined,
    itemXml: row[V.itemXml] as string,
    contentDigest: (row[V.contentDigest] as string | null) ?? undefined,
  };
}

function storedContent(e: StoredUnderKey): DigestedDose & { contentDigest?: string } {
  return {
    patientInsz: e.patient_insz,
    administeredOn: String(e.administered_on),
    responsibleNihii: e.responsible_nihii ?? undefined,
    itemXml: e.item_xml ?? '',
    contentDigest: e.content_digest ?? undefined,
  };
}

function registered(person: RegisteredPerson): RegisteredPatient {
  const r: { -readonly [K in keyof RegisteredPatient]: RegisteredPatient[K] } = { firstname: person.firstname, familyname: person.familyname };
  if (person.birthdate !== null) r.birthdate = person.birthdate;
  if (person.sex !== null) r.sex = person.sex as RegisteredPatient['sex'];
  return r;
}
