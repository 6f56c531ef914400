import type { Item } from '../model.js';
import { DEFAULT_VACCINE_TABLE } from './default-vaccine-table.js';
import { productCodesOf, type ProductCode } from './product-codes-of.js';
import { isVaccineIndication, type VaccineIndication } from './vaccine-indications.js';
import { normaliseCnk, vaccinnetGroup, type ProductInfo, type VaccineProduct } from './vaccine-product.js';

/** The ATC code of COVID-19 vaccines in the source table; operators add newer ones (kmehr-vaccination.md). */
export const COVID19_ATC = 'J07BX03';
export const COVID19_GROUP = 'COVID-19';
export const COVID19_INDICATION = 'covid19';

/**
 * The vaccine reference table: CNK / Vaccinnet code / ATC → product, and the COVID-19 test of rule 2 and 3.
 * Immutable; build a new one to change it (`loadVaccineReferenceCsv`).
 */
export interface VaccineReference {
  readonly products: readonly VaccineProduct[];
  /** Upper case; J07BX03 plus the operator's additions. */
  readonly covidAtcCodes: ReadonlySet<string>;
  /** By CNK; spaces/dashes are ignored and short CNKs left-padded ("2374 429", "69914"). */
  byCnk(cnk: string): VaccineProduct | undefined;
  /** By Vaccinnet code, case-insensitively ("covid-19/pfbnt001"). */
  byVaccinnetCode(code: string): VaccineProduct | undefined;
  /** By ATC code, case-insensitively; prefers the generic row (no CNK) when several products share the ATC. */
  byAtc(atc: string): VaccineProduct | undefined;
  /** Whether an ATC code designates a COVID-19 vaccine. */
  isCovidAtc(atc: string): boolean;
  /**
   * A vaccination is COVID-19 when any of (kmehr-vaccination.md): CD-VACCINEINDICATION `covid19`; an ATC in
   * `covidAtcCodes`; a Vaccinnet code whose group is COVID-19 (any case); a CNK mapped to a product that is one of those.
   */
  isCovid19Item(item: Item): boolean;
  /** The item's product, completed from the table (first CNK, else Vaccinnet code, else ATC that resolves). */
  describe(item: Item): ProductInfo;
}

/** Options of a reference table. */
export interface VaccineReferenceOptions {
  /** Extra COVID-19 ATC codes (e.g. newer ones an operator adds); J07BX03 is always included. */
  readonly covidAtcCodes?: readonly string[];
}

/** The table-backed `VaccineReference`: indexes built once in the constructor. */
export class TableVaccineReference implements VaccineReference {
  readonly products: readonly VaccineProduct[];
  readonly covidAtcCodes: ReadonlySet<string>;
  readonly #byCnk = new Map<string, VaccineProduct>();
  readonly #byCode = new Map<string, VaccineProduct>();
  readonly #byAtc = new Map<string, VaccineProduct>();

  constructor(products: readonly VaccineProduct[], options: VaccineReferenceOptions = {}) {
    this.products = Object.freeze([...products]);
    this.covidAtcCodes = new Set([COVID19_ATC, ...(options.covidAtcCodes ?? []).map((a) => a.trim().toUpperCase())]);
    // First row wins, except that an active row beats a retired one and a generic row is the ATC's representative.
    for (const p of this.products) {
      if (p.cnk !== undefined) setPreferred(this.#byCnk, p.cnk, p);
      if (p.vaccinnetCode !== undefined) setPreferred(this.#byCode, p.vaccinnetCode.toUpperCase(), p);
      if (p.atc !== undefined) {
        const key = p.atc.toUpperCase();
        const old = this.#byAtc.get(key);
        if (!old || (old.cnk !== undefined && p.cnk === undefined && !p.retired)) this.#byAtc.set(key, p);
      }
    }
  }

  byCnk(cnk: string): VaccineProduct | undefined {
    const key = normaliseCnk(cnk);
    return key === undefined ? undefined : this.#byCnk.get(key);
  }

  byVaccinnetCode(code: string): VaccineProduct | undefined {
    return this.#byCode.get(code.trim().toUpperCase());
  }

  byAtc(atc: string): VaccineProduct | undefined {
    return this.#byAtc.get(atc.trim().toUpperCase());
  }

  isCovidAtc(atc: string): boolean {
    return this.covidAtcCodes.has(atc.trim().toUpperCase());
  }

  isCovid19Item(item: Item): boolean {
    const codes = productCodesOf(item);
    for (let k = 0; k < codes.length; k++) if (this.#isCovidCode(codes[k]!)) return true;
    return false;
  }

  #isCovidCode(c: ProductCode): boolean {
    switch (c.kind) {
      case 'indication':
        return c.value === COVID19_INDICATION;
      case 'atc':
        return this.isCovidAtc(c.value);
      case 'vaccinnetCode':
        return vaccinnetGroup(c.value) === COVID19_GROUP;
      case 'cnk': {
        const p = this.byCnk(c.value);
        return p !== undefined && this.#isCovidProduct(p);
      }
    }
  }

  describe(item: Item): ProductInfo {
    const codes = productCodesOf(item);
    const first = (kind: string): string | undefined => codes.find((c) => c.kind === kind)?.value;
    const product =
      codes
        .filter((c) => c.kind === 'cnk')
        .map((c) => this.byCnk(c.value))
        .find((p) => p !== undefined) ??
      codes
        .filter((c) => c.kind === 'vaccinnetCode')
        .map((c) => this.byVaccinnetCode(c.value))
        .find((p) => p !== undefined) ??
      codes
        .filter((c) => c.kind === 'atc')
        .map((c) => this.byAtc(c.value))
        .find((p) => p !== undefined);
    const indications: VaccineIndication[] = [];
    for (const c of codes) if (c.kind === 'indication' && isVaccineIndication(c.value) && !indications.includes(c.value)) indications.push(c.value);
    for (const i of product?.indications ?? []) if (!indications.includes(i)) indications.push(i);
    const rawCnk = first('cnk');
    const cnk = (rawCnk !== undefined ? (normaliseCnk(rawCnk) ?? rawCnk) : undefined) ?? product?.cnk;
    const vaccinnetCode = first('vaccinnetCode') ?? product?.vaccinnetCode;
    const atc = first('atc')?.toUpperCase() ?? product?.atc;
    const intendedname = item.contents.find((c) => c.kind === 'medicinalproduct')?.intendedname;
    const name = intendedname ?? product?.name ?? product?.description;
    const manufacturer = product?.manufacturer;
    return Object.freeze({
      ...(cnk !== undefined && { cnk }),
      ...(name !== undefined && { name }),
      ...(manufacturer !== undefined && { manufacturer }),
      ...(vaccinnetCode !== undefined && { vaccinnetCode, group: vaccinnetGroup(vaccinnetCode) }),
      ...(atc !== undefined && { atc }),
      indications: Object.freeze(indications),
      ...(product !== undefined && { product }),
    });
  }

  #isCovidProduct(p: VaccineProduct): boolean {
    return (
      p.indications.includes(COVID19_INDICATION) ||
      (p.atc !== undefined && this.isCovidAtc(p.atc)) ||
      (p.vaccinnetCode !== undefined && vaccinnetGroup(p.vaccinnetCode) === COVID19_GROUP)
    );
  }
}

function setPreferred(map: Map<string, VaccineProduct>, key: string, p: VaccineProduct): void {
  const old = map.get(key);
  if (!old || (old.retired && !p.retired)) map.set(key, p);
}

let defaultReference: VaccineReference | undefined;

/** The shipped default table (built once per process). */
export function defaultVaccineReference(): VaccineReference {
  defaultReference ??= new TableVaccineReference(DEFAULT_VACCINE_TABLE);
  return defaultReference;
}
