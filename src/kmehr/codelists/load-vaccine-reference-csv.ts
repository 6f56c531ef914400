import { readCsv } from '../../csv/read-csv.js';
import { indicationsOfGroup } from './group-indications.js';
import { isVaccineIndication, type VaccineIndication } from './vaccine-indications.js';
import { normaliseCnk, vaccinnetGroup, type VaccineProduct } from './vaccine-product.js';
import { TableVaccineReference, type VaccineReference } from './vaccine-reference.js';

/**
 * Columns of the operator CSV (header row required, names case-insensitive, any order, `,` or `;` separated).
 * The names of Vaccinnet's own code table are accepted too, so its export can be loaded as it is.
 *
 * | column | also accepted | meaning |
 * |---|---|---|
 * | `cnk` | `CNK` | 7 digits; spaces/dashes ignored; text such as "geen CNK" = none |
 * | `name` | `MPPNM` | package name |
 * | `manufacturer` | `firma` | |
 * | `vaccinnet_code` | `code in Vaccinnet` | e.g. `COVID-19/MDRNA001` |
 * | `indications` | | CD-VACCINEINDICATION codes separated by `\|` or spaces; empty = derived from the Vaccinnet group |
 * | `atc` | `ATC` | e.g. `J07BX03` |
 * | `description` | `VACCINNET-OMSCHRIJVING` | |
 * | `retired` | | `true`/`yes`/`1`: an old code kept so old messages resolve |
 * | `covid` | | `true`/`yes`/`1`: this row's ATC is a COVID-19 ATC code (adds it to the COVID ATC list) |
 *
 * Rows with no CNK, no Vaccinnet code and no ATC (notes, blank lines) are skipped.
 */
export const VACCINE_CSV_COLUMNS = {
  cnk: ['cnk'],
  name: ['name', 'mppnm'],
  manufacturer: ['manufacturer', 'firma'],
  vaccinnetCode: ['vaccinnet_code', 'code in vaccinnet'],
  indications: ['indications'],
  atc: ['atc'],
  description: ['description', 'vaccinnet-omschrijving'],
  retired: ['retired'],
  covid: ['covid'],
} as const;

export interface LoadVaccineReferenceOptions {
  /** Extend this table instead of replacing it: CSV rows win over base rows with the same CNK or Vaccinnet code. */
  readonly base?: VaccineReference;
  /** Extra COVID-19 ATC codes (besides J07BX03, the base's list and the CSV's `covid` rows). */
  readonly covidAtcCodes?: readonly string[];
}

/**
 * Builds a vaccine reference table from an operator CSV (columns: `VACCINE_CSV_COLUMNS`).
 * @param text - the CSV file's text
 * @param options - `base` to extend a table (e.g. `defaultVaccineReference()`), `covidAtcCodes` to add COVID ATC codes
 * @throws Error naming the line when a row has an unknown CD-VACCINEINDICATION or a Vaccinnet group whose
 *   indications cannot be derived and none are given (a configuration error should stop the start-up)
 */
export function loadVaccineReferenceCsv(text: string, options: LoadVaccineReferenceOptions = {}): VaccineReference {
  const reading = readCsv(text);
  if (!reading.ok) throw new Error(`vaccine reference CSV line ${reading.line}, field ${reading.field}: ${reading.message}`);
  const [header, ...rows] = reading.records;
  if (!header) throw new Error('vaccine reference CSV: empty file');
  const names = header.fields.map((h) => h.trim().toLowerCase());
  const col = (key: keyof typeof VACCINE_CSV_COLUMNS): number => names.findIndex((n) => (VACCINE_CSV_COLUMNS[key] as readonly string[]).includes(n));
  const idx = Object.fromEntries(Object.keys(VACCINE_CSV_COLUMNS).map((k) => [k, col(k as keyof typeof VACCINE_CSV_COLUMNS)]));
  if (idx.cnk! < 0 && idx.vaccinnetCode! < 0 && idx.atc! < 0) {
    throw new Error('vaccine reference CSV: the header names none of the columns cnk, vaccinnet_code, atc');
  }
  const products: VaccineProduct[] = [];
  const covidAtc: string[] = [...(options.base?.covidAtcCodes ?? []), ...(options.covidAtcCodes ?? [])];
  rows.forEach(({ fields, line }) => {
    const get = (key: string): string | undefined => {
      const i = idx[key]!;
      const v = i < 0 ? undefined : fields[i]?.trim();
      return v === '' ? undefined : v;
    };
    const rawCnk = get('cnk');
    const cnk = rawCnk === undefined ? undefined : normaliseCnk(rawCnk);
    const vaccinnetCode = get('vaccinnetCode');
    const atc = get('atc')?.toUpperCase();
    if (cnk === undefined && vaccinnetCode === undefined && atc === undefined) return;
    const indications = readIndications(get('indications'), vaccinnetCode, line);
    const flag = (key: string): boolean => /^(true|yes|ja|oui|1)$/i.test(get(key) ?? '');
    if (flag('covid') && atc !== undefined) covidAtc.push(atc);
    const name = get('name');
    const manufacturer = get('manufacturer');
    const description = get('description');
    products.push(
      Object.freeze({
        ...(cnk !== undefined && { cnk }),
        ...(name !== undefined && { name }),
        ...(manufacturer !== undefined && { manufacturer }),
        ...(vaccinnetCode !== undefined && { vaccinnetCode }),
        ...(description !== undefined && { description }),
        indications: Object.freeze(indications),
        ...(atc !== undefined && { atc }),
        ...(flag('retired') && { retired: true }),
      }),
    );
  });
  const cnks = new Set(products.flatMap((p) => (p.cnk === undefined ? [] : [p.cnk])));
  const codes = new Set(products.flatMap((p) => (p.vaccinnetCode === undefined ? [] : [p.vaccinnetCode.toUpperCase()])));
  const kept = (options.base?.products ?? []).filter(
    (p) => !(p.cnk !== undefined && cnks.has(p.cnk)) && !(p.vaccinnetCode !== undefined && codes.has(p.vaccinnetCode.toUpperCase())),
  );
  return new TableVaccineReference([...products, ...kept], { covidAtcCodes: covidAtc });
}

function readIndications(text: string | undefined, vaccinnetCode: string | undefined, line: number): VaccineIndication[] {
  if (text !== undefined) {
    return text
      .split(/[\s|]+/)
      .filter((v) => v !== '')
      .map((v) => {
        if (!isVaccineIndication(v)) throw new Error(`vaccine reference CSV line ${line}: "${v}" is not a CD-VACCINEINDICATION code`);
        return v;
      });
  }
  if (vaccinnetCode === undefined) return [];
  const derived = indicationsOfGroup(vaccinnetGroup(vaccinnetCode));
  if (derived === undefined) {
    throw new Error(`vaccine reference CSV line ${line}: give the indications of the unknown Vaccinnet group ${vaccinnetGroup(vaccinnetCode)}`);
  }
  return [...derived];
}
