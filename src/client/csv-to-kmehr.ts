import { randomUUID } from 'node:crypto';
import { defaultVaccineReference, type VaccineReference } from '../kmehr/codelists/vaccine-reference.js';
import type { VaccineProduct } from '../kmehr/codelists/vaccine-product.js';
import { checkInsz } from '../kmehr/identifiers/insz-check.js';
import { maskInsz } from '../status/mask-insz.js';
import { readCsv } from '../csv/read-csv.js';
import { parseCsvDate } from '../csv/csv-date.js';
import type { Folder, KmehrMessage, Transaction } from '../kmehr/model.js';
import { batchHeader, brusselsMoment, doctorParty, vaccinationTransaction, vaccineItem, type BatchSender } from './batch-parties.js';

/** The CSV columns (header names, case-insensitive); `cnk` or `vaccinnet_code` names the vaccine. */
export const VACCINATION_CSV_COLUMNS = ['insz', 'firstname', 'familyname', 'birthdate', 'sex', 'cnk', 'vaccinnet_code', 'date', 'lot', 'local_id'] as const;
export type VaccinationCsvColumn = (typeof VACCINATION_CSV_COLUMNS)[number];

const REQUIRED: readonly VaccinationCsvColumn[] = ['insz', 'firstname', 'familyname', 'date'];

/** A problem in the CSV, found before anything is sent. `value` never holds an unmasked INSZ. */
export interface CsvRowError {
  /** 1-based line in the file. */
  readonly line: number;
  readonly column: string;
  readonly value?: string;
  readonly message: string;
}

export interface CsvToKmehrOptions {
  readonly sender: BatchSender;
  /** Default: the shipped vaccine table. */
  readonly reference?: VaccineReference;
  /** The moment of the message (header and transaction date/time); default now. Dates after it are refused. */
  readonly now?: Date;
  /** Makes LOCAL ids for rows without one; default `randomUUID`. */
  readonly newId?: () => string;
}

export type CsvToKmehrResult =
  { readonly ok: true; readonly message: KmehrMessage; readonly vaccinations: number } | { readonly ok: false; readonly errors: readonly CsvRowError[] };

const SEXES: Readonly<Record<string, string>> = {
  m: 'male',
  male: 'male',
  man: 'male',
  h: 'male',
  homme: 'male',
  f: 'female',
  v: 'female',
  female: 'female',
  vrouw: 'female',
  femme: 'female',
  x: 'undefined',
  undefined: 'undefined',
  unknown: 'unknown',
  u: 'unknown',
};

interface Row {
  readonly line: number;
  readonly insz: string;
  readonly firstname: string;
  readonly familyname: string;
  readonly birthdate?: string;
  readonly sex: string;
  readonly product: VaccineProduct;
  readonly date: string;
  readonly lot?: string;
  readonly localId: string;
}

/**
 * Turns a CSV with one row per vaccination into a batch KMEHR message: one folder per patient (rows grouped by
 * INSZ, in order of first appearance), one `vaccination` transaction per row with its `id[@S='LOCAL']` = local_id
 * (a UUID when empty), the organisation as sender, the responsible doctor as author, VAZG as recipient.
 * Every row problem (bad INSZ, unknown vaccine, bad or future date, COVID-19 without lot, …) is collected with its
 * line and column; the message is only built when there is none.
 */
export function csvToKmehr(csv: string, options: CsvToKmehrOptions): CsvToKmehrResult {
  const reference = options.reference ?? defaultVaccineReference();
  const at = brusselsMoment(options.now ?? new Date());
  const newId = options.newId ?? randomUUID;
  const reading = readCsv(csv);
  if (!reading.ok) return { ok: false, errors: [{ line: reading.line, column: `field ${reading.field}`, message: `not readable as CSV: ${reading.message}` }] };
  const records = reading.records;
  const errors: CsvRowError[] = [];
  const header = records[0];
  if (header === undefined) return { ok: false, errors: [{ line: 1, column: '', message: 'the file is empty' }] };
  const index = new Map<string, number>();
  header.fields.forEach((name, i) => index.set(name.trim().toLowerCase(), i));
  for (const name of index.keys()) {
    if (!(VACCINATION_CSV_COLUMNS as readonly string[]).includes(name)) {
      errors.push({ line: header.line, column: name, message: `unknown column (expected ${VACCINATION_CSV_COLUMNS.join(', ')})` });
    }
  }
  for (const name of REQUIRED) if (!index.has(name)) errors.push({ line: header.line, column: name, message: 'required column missing' });
  if (!index.has('cnk') && !index.has('vaccinnet_code'))
    errors.push({ line: header.line, column: 'cnk', message: 'a cnk or vaccinnet_code column is required' });
  if (errors.length > 0) return { ok: false, errors };
  if (records.length === 1) return { ok: false, errors: [{ line: header.line, column: '', message: 'no vaccination rows after the header' }] };

  const rows: Row[] = [];
  const seenIds = new Map<string, number>();
  for (const rec of records.slice(1)) {
    const get = (c: VaccinationCsvColumn): string => {
      const i = index.get(c);
      return i === undefined ? '' : (rec.fields[i] ?? '').trim();
    };
    const fail = (column: string, message: string, value?: string): void => {
      errors.push({ line: rec.line, column, message, ...(value !== undefined && value !== '' && { value }) });
    };
    const before = errors.length;
    const insz = get('insz').replace(/[\s.-]/g, '');
    const check = checkInsz(insz, at.date);
    if (!check.ok) fail('insz', `invalid INSZ: ${check.detail}`, maskInsz(insz));
    for (const c of ['firstname', 'familyname'] as const) if (get(c) === '') fail(c, 'required');
    let birthdate: string | undefined;
    if (get('birthdate') !== '') {
      birthdate = parseCsvDate(get('birthdate'));
      if (birthdate === undefined) fail('birthdate', 'not a date (YYYY-MM-DD or DD/MM/YYYY)', get('birthdate'));
      else if (check.ok && check.birthdate !== undefined && check.birthdate !== birthdate)
        fail('birthdate', 'does not match the birth date in the INSZ', birthdate);
    } else if (check.ok) birthdate = check.birthdate;
    let sex = SEXES[get('sex').toLowerCase()] ?? (get('sex') === '' && check.ok ? check.sex : undefined);
    if (sex === undefined) {
      // An invalid INSZ is already reported; the missing sex it would have given is a consequence, not news.
      if (get('sex') === '') {
        if (check.ok) fail('sex', 'required (the INSZ does not tell it)');
      } else fail('sex', 'not a sex (male/female/M/F/V/unknown)', get('sex'));
      sex = 'unknown';
    }
    const cnk = get('cnk');
    const code = get('vaccinnet_code');
    let product: VaccineProduct | undefined;
    if (cnk !== '') {
      product = reference.byCnk(cnk);
      if (product === undefined) fail('cnk', 'unknown CNK (not in the vaccine reference table)', cnk);
    } else if (code !== '') {
      product = reference.byVaccinnetCode(code);
      if (product === undefined) fail('vaccinnet_code', 'unknown Vaccinnet code', code);
    } else fail(index.has('cnk') ? 'cnk' : 'vaccinnet_code', 'a cnk or vaccinnet_code is required');
    const date = parseCsvDate(get('date'));
    if (date === undefined) fail('date', get('date') === '' ? 'required' : 'not a date (YYYY-MM-DD or DD/MM/YYYY)', get('date'));
    else if (date > at.date) fail('date', `in the future (today is ${at.date})`, date);
    else if (birthdate !== undefined && date < birthdate) fail('date', 'before the birth date', date);
    const lot = get('lot');
    const covid = product !== undefined && (product.indications.includes('covid19') || (product.atc !== undefined && reference.isCovidAtc(product.atc)));
    if (covid && lot === '') fail('lot', 'a COVID-19 vaccination needs its lot number');
    const localId = get('local_id') || newId();
    const dup = seenIds.get(localId);
    if (dup !== undefined) fail('local_id', `the same local_id is already used on line ${dup}`, localId);
    seenIds.set(localId, rec.line);
    if (errors.length === before) {
      rows.push({
        line: rec.line,
        insz,
        firstname: get('firstname'),
        familyname: get('familyname'),
        sex,
        product: product!,
        date: date!,
        localId,
        ...(birthdate !== undefined && { birthdate }),
        ...(lot !== '' && { lot }),
      });
    }
  }

  // Group by INSZ; a later row that contradicts the patient's first row is an error rather than a silent choice.
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const group = groups.get(row.insz);
    if (group === undefined) {
      groups.set(row.insz, [row]);
      continue;
    }
    const first = group[0]!;
    if (first.birthdate !== row.birthdate) errors.push({ line: row.line, column: 'birthdate', message: `differs from line ${first.line} for the same INSZ` });
    else if (first.sex !== row.sex) errors.push({ line: row.line, column: 'sex', message: `differs from line ${first.line} for the same INSZ` });
    else if (first.familyname !== row.familyname)
      errors.push({ line: row.line, column: 'familyname', message: `differs from line ${first.line} for the same INSZ` });
    group.push(row);
  }
  if (errors.length > 0) return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };

  const author = doctorParty(options.sender);
  const folders: Folder[] = [];
  for (const group of groups.values()) {
    const p = group[0]!;
    const transactions: Transaction[] = group.map((row, t) =>
      vaccinationTransaction(t + 1, row.localId, at, author, vaccineItem(row.product, row.date, row.lot)),
    );
    folders.push({
      ids: [{ s: 'ID-KMEHR', sv: '1.0', value: String(folders.length + 1) }],
      patient: {
        ids: [{ s: 'ID-PATIENT', sv: '1.0', value: p.insz }],
        firstnames: [p.firstname],
        familyname: p.familyname,
        ...(p.birthdate !== undefined && { birthdate: p.birthdate }),
        sex: { s: 'CD-SEX', sv: '1.0', value: p.sex },
      },
      transactions,
    });
  }
  return { ok: true, message: { header: batchHeader(options.sender, at), folders }, vaccinations: rows.length };
}

/** One line per error, e.g. `line 3, column insz (850714*****): invalid INSZ: …`. */
export function formatCsvErrors(errors: readonly CsvRowError[]): string[] {
  return errors.map((e) => `line ${e.line}, column ${e.column || '-'}${e.value !== undefined ? ` (${e.value})` : ''}: ${e.message}`);
}
