import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { defaultVaccineReference, type VaccineReference } from '../kmehr/codelists/vaccine-reference.js';
import type { VaccineProduct } from '../kmehr/codelists/vaccine-product.js';
import { vaccinnetGroup } from '../kmehr/codelists/vaccine-product.js';
import { inszFor } from '../kmehr/identifiers/synthetic-insz.js';
import type { Folder, Transaction } from '../kmehr/model.js';
import { writeKmehr } from '../kmehr/write-kmehr.js';
import { batchHeader, brusselsMoment, doctorParty, vaccinationTransaction, vaccineItem, type BatchSender } from './batch-parties.js';

export interface GenerateBatchOptions {
  readonly patients: number;
  /** Total vaccinations, spread round-robin over the patients (so ≥ patients; the first ones get one more). */
  readonly doses: number;
  readonly sender: BatchSender;
  /** Share of doses that are COVID-19 (with a lot number); default 0.2. */
  readonly covidShare?: number;
  /** Administration dates spread over the last `days` days, today included; default 7. */
  readonly days?: number;
  readonly now?: Date;
  /** Seed of the pseudo-random choices, so a file can be made again identically (LOCAL ids included). */
  readonly seed?: number;
  readonly reference?: VaccineReference;
}

export interface GeneratedBatch {
  readonly folders: number;
  readonly vaccinations: number;
  readonly covid: number;
  readonly bytes: number;
}

const FIRSTNAMES = ['Jan', 'Marie', 'Luc', 'Anna', 'Pieter', 'Sofie', 'Tom', 'Lotte', 'Koen', 'Emma', 'Wim', 'Julie'];
const FAMILYNAMES = ['Peeters', 'Janssens', 'Maes', 'Jacobs', 'Mertens', 'Willems', 'Claes', 'Goossens', 'Wouters', 'De Smet'];

/** mulberry32: a tiny seeded PRNG; test data must be reproducible, not unpredictable. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uuidFrom(random: () => number): string {
  const h = (): string =>
    Math.floor(random() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  const a = h();
  const b = h();
  const c = h();
  const d = h();
  return `${a}-${b.slice(0, 4)}-4${b.slice(5)}-${'89ab'[(random() * 4) | 0]}${c.slice(1, 4)}-${c.slice(4)}${d}`;
}

function isoDaysBefore(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

/** Active products with a CNK, split into COVID-19 and others, one per Vaccinnet group for the others. */
function productPools(reference: VaccineReference): { covid: VaccineProduct[]; other: VaccineProduct[] } {
  const covid: VaccineProduct[] = [];
  const other: VaccineProduct[] = [];
  const groups = new Set<string>();
  for (const p of reference.products) {
    if (p.cnk === undefined || p.retired === true || p.indications.length === 0) continue;
    const isCovid = p.indications.includes('covid19') || (p.atc !== undefined && reference.isCovidAtc(p.atc));
    if (isCovid) covid.push(p);
    else {
      const g = p.vaccinnetCode === undefined ? p.cnk : vaccinnetGroup(p.vaccinnetCode);
      if (!groups.has(g)) {
        groups.add(g);
        other.push(p);
      }
    }
  }
  if (covid.length === 0 || other.length === 0) throw new Error('the vaccine reference table has no usable products');
  return { covid, other };
}

/**
 * A valid batch KMEHR message (header, then one folder per patient) as string pieces, produced lazily so a
 * 100 000-vaccination file never sits in memory. Patients get distinct valid INSZ numbers (`inszFor`), doses real
 * CNKs from the reference table (a patient's doses are of different vaccine groups on different days, so the
 * registry sees no probable duplicates), COVID-19 doses a lot number, every transaction a LOCAL UUID.
 * Each folder is written by `writeKmehr` itself, so the output follows the same XSD order as every message we write.
 */
export function* generateBatchChunks(options: GenerateBatchOptions, stats?: { covid: number }): Generator<string> {
  const { patients, doses } = options;
  if (!Number.isInteger(patients) || patients < 1) throw new Error('patients must be a whole number ≥ 1');
  if (!Number.isInteger(doses) || doses < patients) throw new Error('doses must be a whole number ≥ patients');
  const days = options.days ?? 7;
  if (!Number.isInteger(days) || days < 1) throw new Error('days must be a whole number ≥ 1');
  const covidShare = options.covidShare ?? 0.2;
  const random = prng(options.seed ?? 1);
  const pools = productPools(options.reference ?? defaultVaccineReference());
  const at = brusselsMoment(options.now ?? new Date());
  const author = doctorParty(options.sender);
  const dates = Array.from({ length: days }, (_, d) => isoDaysBefore(at.date, d));
  const header = batchHeader(options.sender, at);
  const empty = writeKmehr({ header, folders: [] });
  const bare = { ...header, senders: [], recipients: [] };
  const closeAt = empty.lastIndexOf('</kmehrmessage>');
  yield `${empty.slice(0, closeAt)}\n`;

  const base = Math.floor(doses / patients);
  const extra = doses % patients;
  let pieces: string[] = [];
  for (let f = 0; f < patients; f++) {
    const count = base + (f < extra ? 1 : 0);
    const transactions: Transaction[] = [];
    const start = Math.floor(random() * pools.other.length);
    for (let t = 0; t < count; t++) {
      const covid = t === 0 && random() < covidShare;
      const product = covid ? pools.covid[Math.floor(random() * pools.covid.length)]! : pools.other[(start + t) % pools.other.length]!;
      if (covid && stats) stats.covid += 1;
      const lot =
        covid || random() < 0.5
          ? `${covid ? 'FK' : 'LT'}${Math.floor(random() * 1e6)
              .toString()
              .padStart(6, '0')}`
          : undefined;
      transactions.push(vaccinationTransaction(t + 1, uuidFrom(random), at, author, vaccineItem(product, dates[(f + t) % days]!, lot)));
    }
    const folder: Folder = {
      ids: [{ s: 'ID-KMEHR', sv: '1.0', value: String(f + 1) }],
      patient: {
        ids: [{ s: 'ID-PATIENT', sv: '1.0', value: inszFor(f) }],
        firstnames: [FIRSTNAMES[f % FIRSTNAMES.length]!],
        familyname: FAMILYNAMES[Math.floor(f / FIRSTNAMES.length) % FAMILYNAMES.length]!,
        sex: { s: 'CD-SEX', sv: '1.0', value: 'male' },
      },
      transactions,
    };
    // Only the folder is kept: a header without parties keeps writeKmehr's per-folder work to the folder itself.
    const xml = writeKmehr({ header: bare, folders: [folder] });
    pieces.push(xml.slice(xml.indexOf('<folder>'), xml.lastIndexOf('</kmehrmessage>')), '\n');
    if (pieces.length >= 512) {
      yield pieces.join('');
      pieces = [];
    }
  }
  pieces.push('</kmehrmessage>\n');
  yield pieces.join('');
}

/** Writes `generateBatchChunks` to `file`, respecting the stream's back-pressure. */
export async function generateBatchFile(file: string, options: GenerateBatchOptions): Promise<GeneratedBatch> {
  const out = createWriteStream(file);
  const stats = { covid: 0 };
  let bytes = 0;
  try {
    for (const chunk of generateBatchChunks(options, stats)) {
      bytes += Buffer.byteLength(chunk, 'utf8');
      if (!out.write(chunk)) await once(out, 'drain');
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return { folders: options.patients, vaccinations: options.doses, covid: stats.covid, bytes };
}
