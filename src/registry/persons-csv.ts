import { parseCsvDate } from '../csv/csv-date.js';
import { readCsv } from '../csv/read-csv.js';
import { checkInsz, maskInsz } from '../kmehr/identifiers/index.js';
import type { Person } from './person.js';
import type { StatusCode } from '../status/catalogue.js';
import { finding } from '../status/finding.js';

/** Columns of a person-register CSV (header names, case-insensitive); birthdate and sex may be left out. */
export const PERSON_CSV_COLUMNS = ['insz', 'firstname', 'familyname', 'birthdate', 'sex'] as const;
type Column = (typeof PERSON_CSV_COLUMNS)[number];
const REQUIRED: readonly Column[] = ['insz', 'firstname', 'familyname'];

/** One refused row (or the header). `message` never holds an unmasked INSZ. */
export interface PersonRowError {
  /** 1-based line in the file. */
  readonly line: number;
  /** The catalogue code: the INSZ check's (INSZ_CHECKSUM, …) or PERSON_CSV_INVALID. */
  readonly code: StatusCode;
  readonly message: string;
}

export interface PersonsCsv {
  readonly persons: readonly Person[];
  readonly errors: readonly PersonRowError[];
  /** Data rows read (valid or not). */
  readonly rows: number;
}

const SEXES: Readonly<Record<string, Person['sex']>> = {
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
  x: 'unknown',
  u: 'unknown',
  unknown: 'unknown',
  onbekend: 'unknown',
  inconnu: 'unknown',
};

/**
 * Reads and checks a person-register CSV (`,` or `;`, header row, RFC 4180 quoting). Every row is checked: INSZ
 * check digits and date, names present, birth date a real date that agrees with the INSZ, a known sex, no INSZ twice.
 * Birth date and sex default to what the INSZ encodes.
 * @param text - the file's content
 * @param today - YYYY-MM-DD in Europe/Brussels: INSZ numbers born later are refused
 * @example readPersonsCsv('insz;firstname;familyname\n85071412330;Jan;Vermeulen\n', '2026-01-01').persons.length // 1
 */
export function readPersonsCsv(text: string, today: string): PersonsCsv {
  const reading = readCsv(text);
  if (!reading.ok)
    return {
      persons: [],
      errors: [{ line: reading.line, code: 'PERSON_CSV_INVALID', message: `not readable as CSV (field ${reading.field}): ${reading.message}` }],
      rows: 0,
    };
  const records = reading.records;
  const header = records[0];
  if (!header)
    return {
      persons: [],
      errors: [{ line: 1, code: 'PERSON_CSV_INVALID', message: `the file is empty; expected a header row ${PERSON_CSV_COLUMNS.join(',')}` }],
      rows: 0,
    };
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const unknown = names.filter((n) => !(PERSON_CSV_COLUMNS as readonly string[]).includes(n));
  const missing = REQUIRED.filter((c) => !names.includes(c));
  if (unknown.length > 0 || missing.length > 0) {
    const what = [...unknown.map((n) => `unknown column "${n}"`), ...missing.map((c) => `missing column "${c}"`)].join(', ');
    return {
      persons: [],
      errors: [{ line: header.line, code: 'PERSON_CSV_INVALID', message: `header: ${what} (expected ${PERSON_CSV_COLUMNS.join(',')})` }],
      rows: records.length - 1,
    };
  }
  const index = new Map(names.map((n, i) => [n as Column, i]));
  const persons: Person[] = [];
  const errors: PersonRowError[] = [];
  const seen = new Map<string, number>();
  for (const record of records.slice(1)) {
    const get = (c: Column): string => {
      const i = index.get(c);
      return i === undefined ? '' : (record.fields[i] ?? '').trim();
    };
    const rowErrors: PersonRowError[] = [];
    // A row's own problems are PERSON_CSV_INVALID; an INSZ refused by its check keeps the check's code.
    const fail = (message: string, code: StatusCode = 'PERSON_CSV_INVALID'): void => void rowErrors.push({ line: record.line, message, code });
    if (record.fields.length > names.length) fail(`${record.fields.length} fields, the header has ${names.length}`);

    const insz = get('insz');
    const check = checkInsz(insz, today);
    if (!check.ok) {
      const f = finding(check.code, { location: `column insz`, value: maskInsz(insz), params: { detail: check.detail } });
      fail(f.message, f.code);
    } else {
      const first = seen.get(insz);
      if (first !== undefined) fail(`INSZ ${maskInsz(insz)} already on line ${first}`);
      else seen.set(insz, record.line);
    }
    const firstname = get('firstname');
    const familyname = get('familyname');
    if (!firstname) fail('firstname is empty');
    if (!familyname) fail('familyname is empty');

    const rawDate = get('birthdate');
    const birthdate = rawDate ? parseCsvDate(rawDate) : undefined;
    if (rawDate && !birthdate) fail(`birthdate "${rawDate}" is not a date (YYYY-MM-DD or DD/MM/YYYY)`);
    if (birthdate && check.ok) {
      // A BIS number may leave day or month unknown: then only the known part must agree.
      const encoded = check.birthdate ?? (check.birthMonth ? `${check.birthYear}-${String(check.birthMonth).padStart(2, '0')}` : String(check.birthYear));
      if (!birthdate.startsWith(encoded)) fail(`birthdate ${birthdate} does not match the birth date the INSZ encodes (${encoded})`);
    }

    const rawSex = get('sex');
    const sex = rawSex ? SEXES[rawSex.toLowerCase()] : check.ok ? check.sex : undefined;
    if (rawSex && !sex) fail(`sex "${rawSex}" is not one of M, F, X (or male, female, unknown)`);

    if (rowErrors.length > 0) {
      errors.push(...rowErrors);
      continue;
    }
    const born = birthdate ?? (check.ok ? check.birthdate : undefined);
    persons.push(Object.freeze({ insz, firstname, familyname, ...(born && { birthdate: born }), ...(sex && { sex }) }));
  }
  return { persons, errors, rows: records.length - 1 };
}

/** `line 3: INSZ_CHECKSUM: The INSZ/SSIN 850714***** at column insz has wrong check digits.` */
export function formatPersonRowError(e: PersonRowError): string {
  return `line ${e.line}: ${e.code}: ${e.message}`;
}
