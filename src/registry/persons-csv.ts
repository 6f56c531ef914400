import { readCsv } from '../csv/read-csv.js';
import { checkInsz, daysInMonth } from '../kmehr/identifiers/index.js';
import { finding, type Finding } from '../status/finding.js';
import type { Person } from './person.js';

/** Columns of the person-register CSV (header row required, any order, case-insensitive; `;` or `,`). */
export const PERSON_CSV_COLUMNS = ['insz', 'firstname', 'familyname', 'birthdate', 'sex'] as const;
const REQUIRED = ['insz', 'firstname', 'familyname'] as const;
const SEXES = ['male', 'female', 'unknown'] as const;

export interface PersonsCsvResult {
  /** Valid rows, in file order (a repeated INSZ: the last row wins). */
  readonly persons: readonly Person[];
  /** One finding per refused row (location `line N`), or one for the whole file. */
  readonly findings: readonly Finding[];
}

/**
 * Reads a person-register CSV (issue 3 §1: "importable from CSV"). Every INSZ is checked (check digits, date);
 * `birthdate` and `sex` default to what the INSZ encodes when the columns are absent or empty. Collects every
 * problem instead of stopping at the first; valid rows are returned either way, so the caller decides whether a
 * partly bad file is imported.
 * @param text - the whole file
 * @param today - YYYY-MM-DD (Europe/Brussels), to refuse birth dates in the future
 * @example parsePersonsCsv('insz;firstname;familyname\n85071412330;Jan;Peeters\n', '2024-03-10')
 */
export function parsePersonsCsv(text: string, today: string): PersonsCsvResult {
  const reading = readCsv(text);
  if (!reading.ok) {
    return {
      persons: [],
      findings: [finding('PERSON_CSV_INVALID', { location: `line ${reading.line}`, params: { detail: `field ${reading.field}: ${reading.message}` } })],
    };
  }
  const [first, ...records] = reading.records;
  const header = (first?.fields ?? []).map((h) => h.trim().toLowerCase());
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    return { persons: [], findings: [finding('PERSON_CSV_INVALID', { location: 'line 1', params: { detail: `missing column(s) ${missing.join(', ')}` } })] };
  }
  const col = (row: readonly string[], name: (typeof PERSON_CSV_COLUMNS)[number]): string => {
    const i = header.indexOf(name);
    return i < 0 ? '' : (row[i] ?? '').trim();
  };
  const byInsz = new Map<string, Person>();
  const findings: Finding[] = [];
  for (const { line, fields: row } of records) {
    const location = `line ${line}`;
    const insz = col(row, 'insz').replace(/[\s.-]/g, '');
    const check = checkInsz(insz, today);
    if (!check.ok) {
      findings.push(finding(check.code, { location, value: insz, params: { detail: check.detail } }));
      continue;
    }
    const firstname = col(row, 'firstname');
    const familyname = col(row, 'familyname');
    if (!firstname || !familyname) {
      findings.push(finding('PERSON_CSV_INVALID', { location, params: { detail: 'firstname and familyname are required' } }));
      continue;
    }
    const birthdate = col(row, 'birthdate') || check.birthdate;
    if (birthdate !== undefined && !isCalendarDate(birthdate)) {
      findings.push(finding('DATE_INVALID', { location, value: birthdate }));
      continue;
    }
    const sex = (col(row, 'sex').toLowerCase() || check.sex) as Person['sex'] | undefined;
    if (sex !== undefined && !(SEXES as readonly string[]).includes(sex)) {
      findings.push(finding('PERSON_CSV_INVALID', { location, value: sex, params: { detail: `sex must be one of ${SEXES.join(', ')}` } }));
      continue;
    }
    byInsz.set(insz, Object.freeze({ insz, firstname, familyname, ...(birthdate && { birthdate }), ...(sex && { sex }) }));
  }
  return { persons: [...byInsz.values()], findings };
}

function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}
