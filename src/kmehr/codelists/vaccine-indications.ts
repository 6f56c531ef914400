/**
 * CD-VACCINEINDICATION, KMEHR 1.43 (33 codes; kmehr-vaccination.md). The XSD accepts any value inside
 * `content/cd`, so the registry checks the code itself. Spelling as in KMEHR ("diphteria", "ej" = Japanese
 * encephalitis, "ixchiq" = chikungunya). Compared exactly: KMEHR code values are lower case.
 */
export const VACCINE_INDICATIONS = [
  'poliomyelitis',
  'measles',
  'rubella',
  'mumps',
  'seasonalinfluenza',
  'hepatitisa',
  'hepatitisb',
  'rabies',
  'varicella',
  'rotavirus',
  'papillomavirus',
  'yellowfever',
  'tickborneencephalitis',
  'ej',
  'diphteria',
  'tetanus',
  'pertussis',
  'hib',
  'meningitisc',
  'meningitis',
  'pneumonia23',
  'pneumonia7',
  'tuberculosis',
  'typhoid',
  'pandemics',
  'herpeszoster',
  'cholera',
  'covid19',
  'meningitisb',
  'pneumonia15',
  'pneumonia20',
  'monkeypox',
  'ixchiq',
] as const;
export type VaccineIndication = (typeof VACCINE_INDICATIONS)[number];

const SET: ReadonlySet<string> = new Set(VACCINE_INDICATIONS);

export function isVaccineIndication(value: string): value is VaccineIndication {
  return SET.has(value);
}
