/** Code lists the registry checks itself and the vaccine reference table (kmehr-vaccination.md). */
export { HCPARTY_TYPES, HCPARTY_TYPES_USED, isHcpartyType, type HcpartyType } from './hcparty-types.js';
export { VACCINE_INDICATIONS, isVaccineIndication, type VaccineIndication } from './vaccine-indications.js';
export { ITEM_TYPES, isItemType, VACCINATION_TRANSACTION, ADMINISTRATED, type ItemType } from './item-types.js';
export {
  PATIENT_ID_SCHEMES,
  HCPARTY_ID_SCHEMES,
  CNK_SCHEME,
  ATC_SCHEME,
  INDICATION_SCHEME,
  VACCINNET_SL,
  type PatientIdScheme,
  type HcpartyIdScheme,
} from './id-schemes.js';
export { normaliseCnk, vaccinnetGroup, type VaccineProduct, type ProductInfo } from './vaccine-product.js';
export { indicationsOfGroup } from './group-indications.js';
export { productCodesOf, type ProductCode, type ProductCodeKind } from './product-codes-of.js';
export { DEFAULT_VACCINE_TABLE } from './default-vaccine-table.js';
export {
  TableVaccineReference,
  defaultVaccineReference,
  COVID19_ATC,
  COVID19_GROUP,
  COVID19_INDICATION,
  type VaccineReference,
  type VaccineReferenceOptions,
} from './vaccine-reference.js';
export { loadVaccineReferenceCsv, VACCINE_CSV_COLUMNS, type LoadVaccineReferenceOptions } from './load-vaccine-reference-csv.js';
