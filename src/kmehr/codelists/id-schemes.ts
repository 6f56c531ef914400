/** ID-PATIENT schemes allowed in `patient/id/@S` (XSD-enforced; listed for readers and generators). */
export const PATIENT_ID_SCHEMES = ['ID-PATIENT', 'INSS', 'EID-CARDNO', 'SIS-CARDNO', 'ISI-CARDNO', 'LOCAL'] as const;
export type PatientIdScheme = (typeof PATIENT_ID_SCHEMES)[number];

/** ID-HCPARTY schemes used in `hcparty/id/@S`; `ID-ENCRYPTION-*` stands for its family. */
export const HCPARTY_ID_SCHEMES = [
  'ID-HCPARTY',
  'INSS',
  'LOCAL',
  'ID-CBE',
  'ID-EHP',
  'ID-INSURANCE',
  'ID-ENCRYPTION-ACTOR',
  'ID-ENCRYPTION-APPLICATION',
  'ID-ENCRYPTION-KEY',
] as const;
export type HcpartyIdScheme = (typeof HCPARTY_ID_SCHEMES)[number];

/** Content code schemes of a vaccine item (kmehr-vaccination.md, structure). */
export const CNK_SCHEME = 'CD-DRUG-CNK';
export const ATC_SCHEME = 'CD-ATC';
export const INDICATION_SCHEME = 'CD-VACCINEINDICATION';
/** Vaccinnet's own code: `cd S="LOCAL" SL="VACCINNETCODE"` (SL compared case-insensitively). */
export const VACCINNET_SL = 'VACCINNETCODE';
