import type { VaccineReference } from '../kmehr/codelists/index.js';
import { codeOf, type Code, type Item } from '../kmehr/model.js';
import type { VaccineProduct } from './vaccination.js';

/**
 * Resolves the product of a vaccine item against the reference table and derives its antigen group, the key of
 * the probable-duplicate rule (14): the reference group, else the group part of the Vaccinnet code
 * (`<GROUP>/<MANUFACTURER><NNN>`), else the ATC code, else the sorted indications.
 */
export function vaccineProduct(item: Item, reference: VaccineReference): VaccineProduct {
  const info = reference.describe(item);
  const cnk = info.cnk ?? codeOf(medicinalCodes(item), 'CD-DRUG-CNK')?.value;
  const vaccinnetCode = info.vaccinnetCode ?? codeOf(contentCodes(item), 'LOCAL', 'VACCINNETCODE')?.value;
  const atc = info.atc ?? codeOf(contentCodes(item), 'CD-ATC')?.value;
  const indications = info.indications.length > 0
    ? [...info.indications]
    : contentCodes(item).filter((c) => c.s.toUpperCase() === 'CD-VACCINEINDICATION').map((c) => c.value.toLowerCase());
  const group = (
    info.group ??
    vaccinnetCode?.split('/')[0] ??
    atc ??
    ([...indications].sort().join('+') || 'UNKNOWN')
  ).toUpperCase();
  return Object.freeze({
    ...(cnk !== undefined && { cnk }),
    ...(info.name !== undefined && { name: info.name }),
    ...(vaccinnetCode !== undefined && { vaccinnetCode }),
    ...(atc !== undefined && { atc }),
    indications: Object.freeze(indications),
    group,
  });
}

function contentCodes(item: Item): readonly Code[] {
  return item.contents.flatMap((c) => (c.kind === 'cd' ? c.cds : []));
}

function medicinalCodes(item: Item): readonly Code[] {
  return item.contents.flatMap((c) => (c.kind === 'medicinalproduct' ? c.intendedcds : []));
}
