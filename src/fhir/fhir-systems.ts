/**
 * The canonical URLs and naming systems the FHIR channel reads and writes (fhir-bevaccination.md §1, §3, §5).
 * One place, so the mapping, the CapabilityStatement and the tests cannot drift apart.
 */
const BE_CORE = 'https://www.ehealth.fgov.be/standards/fhir/core';
const BE_VACCINATION = 'https://www.ehealth.fgov.be/standards/fhir/vaccination';

export const BE_VACCINATION_PROFILE = `${BE_VACCINATION}/StructureDefinition/be-vaccination`;

export const EXT = {
  recorder: `${BE_CORE}/StructureDefinition/be-ext-recorder`,
  administeredProduct: `${BE_VACCINATION}/StructureDefinition/be-ext-administeredProduct`,
  note: `${BE_VACCINATION}/StructureDefinition/be-ext-simple-note`,
  confirmationStatus: `${BE_VACCINATION}/StructureDefinition/be-ext-vaccination-confirmationStatus`,
} as const;

export const SYSTEM = {
  ssin: `${BE_CORE}/NamingSystem/ssin`,
  nihdi: `${BE_CORE}/NamingSystem/nihdi`,
  nihdiOrganization: `${BE_CORE}/NamingSystem/nihdi-organization`,
  nihdiProfessional: `${BE_CORE}/NamingSystem/nihdi-professional`,
  cbe: `${BE_CORE}/NamingSystem/cbe`,
  cnk: 'https://www.ehealth.fgov.be/standards/fhir/medication/NamingSystem/be-ns-cnk-codes',
  ctiExtended: 'https://www.ehealth.fgov.be/standards/fhir/medication/NamingSystem/be-ns-cti-extended-code',
  atc: 'http://whocc.no/atc',
  vaccinnetCode: `${BE_CORE}/NamingSystem/vaccinnet-vaccinecode`,
  /** The registry's VaccinationId (used by the IG's Vaccinnet example; no NamingSystem defines it). */
  vaccinnetRecord: 'https://www.kindengezin.be/vaccinatie/vaccination-register',
  snomed: 'http://snomed.info/sct',
  route: `${BE_VACCINATION}/CodeSystem/be-cs-vaccination-administration-route`,
  /**
   * our choice: a KMEHR CD-VACCINEINDICATION code carried next to the SNOMED vaccine code, so the registry's
   * per-disease list survives the trip (BeVaccination has no element for it: protocolApplied is 0..0).
   */
  vaccineIndication: 'urn:vaccinnet:kmehr:CD-VACCINEINDICATION',
  /** our choice: the system of `OperationOutcome.issue.details.coding`, our status catalogue (docs/status-codes.md). */
  statusCode: 'urn:vaccinnet:status-code',
} as const;

/** SNOMED CT Belgian edition (fhir-bevaccination.md §5). */
export const SNOMED_BE_EDITION = 'http://snomed.info/sct/11000172109';

/**
 * our choice (fhir-bevaccination.md §5): a sender's own id (KMEHR `transaction/id[@S='LOCAL'][@SL]`) is an
 * identifier with this prefix followed by the SL; a FHIR sender's identifier of any other system keeps its system
 * as the SL.
 */
export const SENDER_ID_PREFIX = 'urn:vaccinnet:sender-id:';

/** The SNOMED "unspecified vaccine" code, which needs `vaccineCode.text` (invariant be-rule-vaccination-1). */
export const UNSPECIFIED_VACCINE = '787859002';

export const FHIR_JSON = 'application/fhir+json';
