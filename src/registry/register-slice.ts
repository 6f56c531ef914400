import { locate } from '../kmehr/model.js';
import { finding, hasErrors, type Finding } from '../status/finding.js';
import { messageStatus } from '../status/message-status.js';
import type { NewAuditEntry } from './audit-entry.js';
import type { SubmittedPatientData } from './patient-data.js';
import { auditPatientKey } from './patient-id.js';
import type { BulkRegistrationStore, Clock, IdGenerator } from './ports.js';
import type { RegistrySettings } from './registry-settings.js';
import { doseKeyOf, probableDuplicateFinding, probableDuplicateOf, type StoredDoseKey } from './rules/probable-duplicate.js';
import { registeredPersonFindings } from './rules/registered-person.js';
import { senderIdsVerdict } from './rules/sender-ids-replay.js';
import type { Channel, NewVaccination } from './vaccination.js';

/**
 * One transaction of a bulk registration, after the rules that need no stored state (the batch planner runs them,
 * streaming, with the same rule functions as the single-call path).
 */
export interface SliceTransaction {
  readonly f: number;
  readonly t: number;
  /** The folder's `patient/id` as sent; undefined when it has none. */
  readonly insz: string | undefined;
  /** Index of the vaccine item in the transaction, -1 when there is none. */
  readonly vaccineItem: number;
  /** The vaccine item's `beginmoment/date` as sent (rule 9 against the register). */
  readonly vaccineDate: string | undefined;
  /** The findings so far; this use case appends the ones that need stored state. */
  readonly findings: Finding[];
  readonly patient: SubmittedPatientData;
  /** The dose to store when the stateless rules passed, its `id` and `registeredAt` still empty. */
  readonly vaccination: NewVaccination | undefined;
}

/** Who registers the slice, through which channel, and what the audit rows and replacements say about its source. */
export interface SliceCall {
  /** The registrant's profile key ('' when the call was refused before a profile was known). */
  readonly registrantKey: string;
  /** The authenticated caller's subject. */
  readonly subject: string;
  readonly softwareId: string;
  readonly channel: Channel;
  /** The whole call was refused (no profile, inactive softwareID…): the planner gave every transaction that finding. */
  readonly refused: boolean;
  /**
   * A supplement (BatchUpload `Aanvulling`): an earlier active dose of this registrant under the same LOCAL id is
   * replaced (BATCH_REPLACED), not replayed.
   */
  readonly replacesEarlier: boolean;
  /** Names the source in audit details and removal reasons, e.g. `delivery 1f3…`. */
  readonly source: string;
}

/** What happened to one transaction of the slice. */
export interface SliceOutcome {
  /** The transaction's status code (OK, OK_WITH_WARNINGS, DUPLICATE_REPLAY, or its first error's). */
  readonly code: string;
  /** The stored VaccinationId, or on a replay the original's; undefined when refused. */
  readonly vaccinationId: string | undefined;
  /** The id of the dose a supplement replaced. */
  readonly replacedId: string | undefined;
}

export interface SlicePorts {
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly settings: Pick<RegistrySettings, 'personCheck'>;
}

/**
 * The bulk entry point of the one registration core (issue 12 §1): the rules that need stored state and the writes
 * of one slice of transactions, with the same rule functions as `registerVaccinations` — rule 4 and the patient
 * data and rule 9 against the register (rules/registered-person.ts), rule 14 in both halves
 * (rules/probable-duplicate.ts, rules/sender-ids-replay.ts) — set-based: one store call per step for the whole
 * slice. One audit row per transaction (register / replay / refuse). Runs inside the caller's database transaction
 * (`store`), so the channel can commit its own record of the outcomes (the batch results) atomically with them.
 * @returns one outcome per transaction, in slice order
 */
export async function registerSlice(
  slice: readonly SliceTransaction[],
  call: SliceCall,
  store: BulkRegistrationStore,
  ports: SlicePorts,
): Promise<SliceOutcome[]> {
  const at = ports.clock.now().toISOString();
  const n = slice.length;
  const vaccinationIds = new Array<string | undefined>(n);
  const replacedIds = new Array<string | undefined>(n);
  const inserted = new Array<boolean>(n).fill(false);

  if (!call.refused) await checkAgainstRegister(slice, store, ports.settings.personCheck);

  /** Positions of the transactions to store, and their doses with the registry's id and registration time. */
  const toStore: number[] = [];
  const doses: NewVaccination[] = [];
  for (let i = 0; i < n; i++) {
    const p = slice[i]!;
    if (!p.vaccination || hasErrors(p.findings)) continue;
    toStore.push(i);
    doses.push({ ...p.vaccination, id: ports.ids.vaccinationId(), registeredAt: at });
  }

  if (call.replacesEarlier && doses.length > 0) await replaceEarlier(slice, toStore, doses, call, store, replacedIds, at);

  // Rule 14, warning half: same patient + vaccine group + date already stored under other sender ids.
  if (doses.length > 0) {
    const candidates = await store.activeDosesOf([...new Set(doses.map((d) => d.patientInsz))]);
    if (candidates.length > 0) {
      const byPatient = groupByPatient(candidates);
      doses.forEach((d, k) => {
        const key = doseKeyOf(d);
        const match = probableDuplicateOf(key, byPatient.get(d.patientInsz) ?? []);
        const p = slice[toStore[k]!]!;
        if (match) p.findings.push(probableDuplicateFinding(key, match, locate.transaction(p.f, p.t)));
      });
    }
  }

  // Rule 14, idempotent half: insert-or-skip on the sender key; a skipped one is a replay or reused ids.
  const wasInserted = await store.insertOrSkip(doses);
  const skipped: number[] = [];
  doses.forEach((d, k) => {
    const i = toStore[k]!;
    if (wasInserted[k]) {
      inserted[i] = true;
      vaccinationIds[i] = d.id;
    } else skipped.push(k);
  });
  if (skipped.length > 0) {
    const existing = await store.storedUnderSenderKeys(
      call.registrantKey,
      skipped.map((k) => doses[k]!.senderKey),
    );
    const byKey = new Map(existing.map((e) => [`${e.patientInsz}|${e.senderKey}`, e]));
    for (const k of skipped) {
      const d = doses[k]!;
      const p = slice[toStore[k]!]!;
      const original = byKey.get(`${d.patientInsz}|${d.senderKey}`);
      if (original === undefined) continue;
      const verdict = senderIdsVerdict(d, original, p.f, p.t);
      if (verdict.replay) vaccinationIds[toStore[k]!] = original.id;
      p.findings.push(verdict.finding);
    }
  }

  const audits: NewAuditEntry[] = new Array<NewAuditEntry>(n);
  const outcomes: SliceOutcome[] = new Array<SliceOutcome>(n);
  for (let i = 0; i < n; i++) {
    const p = slice[i]!;
    // messageStatus renders texts too: only worth it when there is a finding.
    const code = p.findings.length === 0 ? 'OK' : messageStatus(p.findings).code;
    const vid = vaccinationIds[i];
    const [action, outcome] =
      vid === undefined ? (['refuse', code] as const) : inserted[i] ? (['register', code] as const) : (['replay', 'DUPLICATE_REPLAY'] as const);
    audits[i] = {
      // A refused transaction's patient number may be anything: only a valid INSZ becomes the patient key (issue 11.2).
      patientInsz: vid === undefined ? auditPatientKey(p.insz) : (p.insz ?? ''),
      id: ports.ids.auditId(),
      at,
      action,
      outcome,
      ...(vid !== undefined && { vaccinationId: vid }),
      actor: call.registrantKey,
      subject: call.subject,
      channel: call.channel,
      softwareId: call.softwareId,
      detail: `${call.source}, folder ${p.f + 1}, transaction ${p.t + 1}`,
    };
    outcomes[i] = { code, vaccinationId: vid, replacedId: replacedIds[i] };
  }
  await store.appendAudit(audits);
  return outcomes;
}

/** Rule 4, patient data and rule 9 against the register, for the whole slice after one look-up. */
async function checkAgainstRegister(
  slice: readonly SliceTransaction[],
  store: BulkRegistrationStore,
  personCheck: SlicePorts['settings']['personCheck'],
): Promise<void> {
  const inszs = [...new Set(slice.flatMap((p) => (p.insz !== undefined ? [p.insz] : [])))];
  if (inszs.length === 0) return;
  const persons = await store.personsOf(inszs);
  for (const p of slice) {
    if (p.insz === undefined) continue;
    const vaccineItem = p.vaccineItem >= 0 ? { i: p.vaccineItem, date: p.vaccineDate } : undefined;
    const found = registeredPersonFindings(
      { f: p.f, t: p.t, insz: p.insz, submitted: p.patient, ...(vaccineItem && { vaccineItem }) },
      persons.get(p.insz),
      personCheck,
      p.findings,
    );
    for (const x of found) p.findings.push(x);
  }
}

/** A supplement: the registrant's earlier active dose under the same LOCAL id is removed and reported as replaced. */
async function replaceEarlier(
  slice: readonly SliceTransaction[],
  toStore: readonly number[],
  doses: readonly NewVaccination[],
  call: SliceCall,
  store: BulkRegistrationStore,
  replacedIds: (string | undefined)[],
  at: string,
): Promise<void> {
  const keyed = doses.flatMap((d, k) => (d.senderKey.startsWith('local:') ? [k] : []));
  if (keyed.length === 0) return;
  const earlier = await store.activeUnderSenderKeys(
    call.registrantKey,
    keyed.map((k) => doses[k]!.senderKey),
  );
  const active = new Map(earlier.map((e) => [e.senderKey, e]));
  const replaced: StoredDoseKey[] = [];
  for (const k of keyed) {
    const key = doses[k]!.senderKey;
    const old = active.get(key);
    if (!old) continue;
    const i = toStore[k]!;
    const p = slice[i]!;
    active.delete(key);
    replaced.push(old);
    replacedIds[i] = old.id;
    p.findings.push(finding('BATCH_REPLACED', { location: locate.transaction(p.f, p.t), value: old.id }));
  }
  await store.supersede(replaced, call.registrantKey, at, `replaced by ${call.source}`);
}

function groupByPatient(doses: readonly StoredDoseKey[]): Map<string, StoredDoseKey[]> {
  const out = new Map<string, StoredDoseKey[]>();
  for (const d of doses) {
    const list = out.get(d.patientInsz);
    if (list) list.push(d);
    else out.set(d.patientInsz, [d]);
  }
  return out;
}
