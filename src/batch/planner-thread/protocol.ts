import type { VaccineProduct } from '../../kmehr/codelists/index.js';
import type { XmlLimits } from '../../kmehr/xml-limits.js';
import type { Finding } from '../../status/finding.js';
import type { SubmittedPatientData } from '../../registry/patient-data.js';
import type { PlannedTransaction, PlanningJob } from '../slice-planner.js';
import type { Channel, NewVaccination } from '../../registry/vaccination.js';

/**
 * Messages between a batch processor and its planning thread. The processor feeds the stored message chunk by
 * chunk as the thread asks for it ('need'); the thread answers with planned slices and waits for a 'credit' once
 * SLICES_AHEAD slices are unanswered, so neither side's memory grows with the delivery.
 */
/**
 * Slices sent and not yet stored at which the thread stops planning: 2 = the slice being stored and the next one,
 * planned meanwhile. With 1 the thread waited while each slice was stored and the processor while each was planned:
 * the two threads took turns instead of running at once (each ~50 % busy).
 */
export const SLICES_AHEAD = 2;

/**
 * Chunks (64 KiB pieces) the thread keeps asked for ahead of its reading, ~2 slices' worth: enough to plan the next
 * slice while the processor stores one, without waiting for it to answer 'need' in between.
 */
export const CHUNKS_AHEAD = 8;

export interface StartJob {
  readonly type: 'start';
  readonly job: PlanningJob;
  /** The registry's vaccine table, rebuilt in the thread (a table is plain data; its indexes are not sent). */
  readonly products: readonly VaccineProduct[];
  readonly covidAtcCodes: readonly string[];
  readonly sliceSize: number;
  readonly limits: XmlLimits;
}

export type ToThread = StartJob | { readonly type: 'chunk'; readonly data: Uint8Array } | { readonly type: 'end' } | { readonly type: 'credit' };

export type FromThread =
  | { readonly type: 'need' }
  /**
   * One slice of planned transactions, structured-cloned as one flat array (PackedSlice). Not as one JSON string: a slice's text (~750 KB) is a
   * large object, which V8 allocates straight into the old generation — 400 of them per 100 000 vaccinations grew
   * the heap by ~70 MB between major collections and pushed the server's RSS past 300 MB.
   */
  | { readonly type: 'slice'; readonly slice: PackedSlice }
  | { readonly type: 'done' }
  /** The message itself was refused while reading it (size, well-formedness, missing field…). */
  | { readonly type: 'refused'; readonly finding: Finding }
  | { readonly type: 'failed'; readonly message: string };

/**
 * Values per transaction before its dose in a PackedSlice: ordinal, f, t, insz, vaccineItem, vaccineDate, result,
 * findings, and the patient data (sex, birthdate, familyname, firstnames joined by U+001F; null when absent).
 */
const HEAD = 12;
const NAMES_SEPARATOR = '\u001f';
/** Values of a planned dose (packDose), without the id and registration time it gets when stored. */
const DOSE = 19;

/**
 * A slice as one flat array of strings, numbers and nulls: per transaction HEAD values, then a 1 and its DOSE
 * values, or a 0. Why: structured cloning writes every property name of every object and builds every object
 * again on the other side; the flat array is written and read value by value. The hand-over was ~20 % of the
 * planning thread's time as 250 objects with nested arrays; packed, the process CPU of 50 000 vaccinations went
 * 3.11-3.37 → 3.06-3.10 s (three alternating runs).
 */
export type PackedSlice = unknown[];

export function packSlice(slice: readonly PlannedTransaction[]): PackedSlice {
  const out: unknown[] = [];
  for (const p of slice) {
    const d = p.patient;
    out.push(
      p.ordinal,
      p.f,
      p.t,
      p.insz ?? null,
      p.vaccineItem,
      p.vaccineDate ?? null,
      p.result,
      p.findings.length === 0 ? null : p.findings,
      d.sex ?? null,
      d.birthdate ?? null,
      d.familyname ?? null,
      d.firstnames ? d.firstnames.join(NAMES_SEPARATOR) : null,
    );
    if (p.vaccination) {
      out.push(1);
      packDose(p.vaccination, out);
    } else out.push(0);
  }
  return out;
}

export function unpackSlice(packed: PackedSlice): PlannedTransaction[] {
  const out: PlannedTransaction[] = [];
  let at = 0;
  while (at < packed.length) {
    const insz = packed[at + 3] as string | null;
    const vaccineDate = packed[at + 5] as string | null;
    const findings = packed[at + 7] as Finding[] | null;
    const hasDose = packed[at + HEAD] === 1;
    out.push({
      ordinal: packed[at] as number,
      f: packed[at + 1] as number,
      t: packed[at + 2] as number,
      insz: insz ?? undefined,
      vaccineItem: packed[at + 4] as number,
      vaccineDate: vaccineDate ?? undefined,
      result: packed[at + 6] as string,
      patient: unpackPatient(packed, at + 8),
      findings: findings ?? [],
      vaccination: hasDose ? unpackDose(packed, at + HEAD + 1) : undefined,
    });
    at += HEAD + 1 + (hasDose ? DOSE : 0);
  }
  return out;
}

/** A planned dose's fields in a fixed order (a batch dose has no DisableStockChange). */
function packDose(v: NewVaccination, out: unknown[]): void {
  const p = v.product;
  out.push(
    v.patientInsz,
    p.cnk ?? null,
    p.name ?? null,
    p.vaccinnetCode ?? null,
    p.atc ?? null,
    p.indications.join(NAMES_SEPARATOR),
    p.group,
    v.administeredOn,
    v.quantity ?? null,
    v.lot ?? null,
    v.registrantKey,
    v.responsibleNihii ?? null,
    v.softwareId,
    v.channel,
    v.senderMessageId ?? null,
    v.senderLocalId ?? null,
    v.senderKey,
    v.itemXml,
    v.contentDigest ?? null,
  );
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Built by assignment, as store/rows.ts `toVaccination` does (conditional spreads cost ten times as much). */
function unpackDose(packed: PackedSlice, at: number): NewVaccination {
  const value = (k: number): string | null => packed[at + k] as string | null;
  const product = {} as Mutable<NewVaccination['product']>;
  if (value(1) !== null) product.cnk = value(1)!;
  if (value(2) !== null) product.name = value(2)!;
  if (value(3) !== null) product.vaccinnetCode = value(3)!;
  if (value(4) !== null) product.atc = value(4)!;
  const indications = value(5)!;
  product.indications = indications === '' ? [] : indications.split(NAMES_SEPARATOR);
  product.group = value(6)!;
  const v = { id: '', patientInsz: value(0)!, product, administeredOn: value(7)! } as Mutable<NewVaccination>;
  if (value(8) !== null) v.quantity = value(8)!;
  if (value(9) !== null) v.lot = value(9)!;
  v.registrantKey = value(10)!;
  if (value(11) !== null) v.responsibleNihii = value(11)!;
  v.softwareId = value(12)!;
  v.channel = value(13)! as Channel;
  if (value(14) !== null) v.senderMessageId = value(14)!;
  if (value(15) !== null) v.senderLocalId = value(15)!;
  v.senderKey = value(16)!;
  v.registeredAt = '';
  v.itemXml = value(17)!;
  if (value(18) !== null) v.contentDigest = value(18)!;
  return v;
}

function unpackPatient(packed: PackedSlice, at: number): SubmittedPatientData {
  const [sex, birthdate, familyname, firstnames] = [packed[at], packed[at + 1], packed[at + 2], packed[at + 3]] as (string | null)[];
  const d: { -readonly [K in keyof SubmittedPatientData]: SubmittedPatientData[K] } = {};
  if (sex !== null && sex !== undefined) d.sex = sex;
  if (birthdate !== null && birthdate !== undefined) d.birthdate = birthdate;
  if (familyname !== null && familyname !== undefined) d.familyname = familyname;
  if (firstnames !== null && firstnames !== undefined) d.firstnames = firstnames.split(NAMES_SEPARATOR);
  return d;
}
