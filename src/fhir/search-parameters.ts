import type { Immunization } from '@medplum/fhirtypes';
import { finding, type Finding } from '../status/finding.js';
import { SYSTEM } from './fhir-systems.js';

/** `_count` when none is given, and its ceiling (a person's history is small; a page stays small too). */
export const DEFAULT_COUNT = 20;
export const MAX_COUNT = 100;

export interface DateBound {
  readonly prefix: 'eq' | 'ge' | 'le' | 'gt' | 'lt';
  /** First and last day the value stands for (YYYY, YYYY-MM or YYYY-MM-DD). */
  readonly from: string;
  readonly to: string;
}

export interface VaccineToken {
  readonly system?: string;
  readonly code: string;
}

export interface ImmunizationSearch {
  readonly insz: string;
  /** Every `date` parameter must hold (AND); within one, one bound. */
  readonly dates: readonly DateBound[];
  /** Any of them (the comma of one `vaccine-code` is OR; several parameters are AND). */
  readonly vaccineCodes: readonly (readonly VaccineToken[])[];
  readonly count: number;
  /** Paging (our choice, in the links we hand out): the position of the page's first match. */
  readonly offset: number;
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly finding: Finding };

const refuse = (value: string, detail: string): { ok: false; finding: Finding } => ({
  ok: false,
  finding: finding('FHIR_SEARCH_PARAMETER', { value: value.slice(0, 64), params: { detail } }),
});

/** `<ssin system>|<SSIN>`: the only patient identifier the registry knows. */
export function parseSsinToken(name: string, value: string | undefined): Parsed<string> {
  if (value === undefined) return refuse(name, `required: ${name}=${SYSTEM.ssin}|<SSIN>`);
  const bar = value.indexOf('|');
  if (bar < 0 || value.slice(0, bar) !== SYSTEM.ssin) return refuse(name, `give the SSIN with its system: ${name}=${SYSTEM.ssin}|<SSIN>`);
  return { ok: true, value: value.slice(bar + 1) };
}

/**
 * `GET /fhir/Immunization` parameters (docs/fhir.md). Unknown parameters are refused (FHIR lets a server ignore
 * them; a registry that silently ignored `date=` would hand out more than was asked).
 */
export function parseImmunizationSearch(query: URLSearchParams): Parsed<ImmunizationSearch> {
  for (const name of query.keys()) if (!IMMUNIZATION_PARAMETERS.has(name)) return refuse(name, `supported: ${[...IMMUNIZATION_PARAMETERS].join(', ')}`);
  const patients = query.getAll('patient.identifier');
  if (patients.length > 1) return refuse('patient.identifier', 'give one patient');
  const patient = parseSsinToken('patient.identifier', patients[0]);
  if (!patient.ok) return patient;
  const dates: DateBound[] = [];
  for (const raw of query.getAll('date')) {
    const bound = parseDate(raw);
    if (!bound) return refuse(`date=${raw}`, 'use [eq|ge|le|gt|lt]YYYY[-MM[-DD]]');
    dates.push(bound);
  }
  const vaccineCodes = query.getAll('vaccine-code').map((raw) =>
    raw.split(',').map((token): VaccineToken => {
      const bar = token.indexOf('|');
      return bar < 0 ? { code: token } : { ...(bar > 0 && { system: token.slice(0, bar) }), code: token.slice(bar + 1) };
    }),
  );
  const count = integer(query.get('_count'), DEFAULT_COUNT);
  if (count === undefined || count < 0 || count > MAX_COUNT) return refuse('_count', `a whole number from 0 to ${MAX_COUNT}`);
  const offset = integer(query.get('_offset'), 0);
  if (offset === undefined || offset < 0) return refuse('_offset', 'a whole number from 0');
  return { ok: true, value: { insz: patient.value, dates, vaccineCodes, count, offset } };
}

export const IMMUNIZATION_PARAMETERS = new Set(['patient.identifier', 'date', 'vaccine-code', '_count', '_offset']);

function integer(raw: string | null, fallback: number): number | undefined {
  if (raw === null) return fallback;
  return /^\d{1,6}$/.test(raw) ? Number(raw) : undefined;
}

const LAST_DAY = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();

function parseDate(raw: string): DateBound | undefined {
  const m = /^(eq|ge|le|gt|lt)?(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T[0-9:.]+(?:Z|[+-]\d{2}:\d{2})?)?$/.exec(raw);
  if (!m) return undefined;
  const prefix = (m[1] ?? 'eq') as DateBound['prefix'];
  const y = Number(m[2]);
  const month = m[3] === undefined ? undefined : Number(m[3]);
  const day = m[4] === undefined ? undefined : Number(m[4]);
  if (month !== undefined && (month < 1 || month > 12)) return undefined;
  if (day !== undefined && (day < 1 || day > LAST_DAY(y, month!))) return undefined;
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const from = `${m[2]}-${p2(month ?? 1)}-${p2(day ?? 1)}`;
  const to = `${m[2]}-${p2(month ?? 12)}-${p2(day ?? LAST_DAY(y, month ?? 12))}`;
  return { prefix, from, to };
}

/** The earliest administration date the bounds allow, to narrow the history read (getHistory's `since`). */
export function earliestDate(dates: readonly DateBound[]): string | undefined {
  let since: string | undefined;
  for (const d of dates) {
    const lower = d.prefix === 'ge' || d.prefix === 'eq' ? d.from : undefined;
    if (lower !== undefined && (since === undefined || lower > since)) since = lower;
  }
  return since;
}

/** Whether an Immunization matches the date and vaccine-code parameters (the patient is matched by the read). */
export function matches(immunization: Immunization, search: ImmunizationSearch): boolean {
  const day = immunization.occurrenceDateTime?.slice(0, 10) ?? '';
  for (const d of search.dates) {
    const ok =
      d.prefix === 'eq'
        ? day >= d.from && day <= d.to
        : d.prefix === 'ge'
          ? day >= d.from
          : d.prefix === 'le'
            ? day <= d.to
            : d.prefix === 'gt'
              ? day > d.to
              : day < d.from;
    if (!ok) return false;
  }
  const codings = immunization.vaccineCode?.coding ?? [];
  return search.vaccineCodes.every((any) => any.some((t) => codings.some((c) => c.code === t.code && (t.system === undefined || c.system === t.system))));
}
