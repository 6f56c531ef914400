import type { VaccineIndication } from './vaccine-indications.js';

/**
 * Vaccinnet antigen groups → CD-VACCINEINDICATION codes. A combined group is its parts joined by "-"
 * ("DTPA-IPV-HIB-HBV"). Used to derive the indications of the default table's rows and of operator CSV rows
 * that give none. Pneumococcal groups without a matching KMEHR code (PN, PNC, PNC10, PNC13) map to nothing.
 */
const PARTS: Readonly<Record<string, readonly VaccineIndication[]>> = {
  B: ['mumps'],
  BCG: ['tuberculosis'],
  CHOL: ['cholera'],
  'COVID-19': ['covid19'],
  DT: ['diphteria', 'tetanus'],
  DTP: ['diphteria', 'tetanus', 'pertussis'],
  DTPA: ['diphteria', 'tetanus', 'pertussis'],
  DTPW: ['diphteria', 'tetanus', 'pertussis'],
  IPV: ['poliomyelitis'],
  OPV: ['poliomyelitis'],
  POLIO: ['poliomyelitis'],
  HIB: ['hib'],
  HBV: ['hepatitisb'],
  HAV: ['hepatitisa'],
  TYF: ['typhoid'],
  MBR: ['measles', 'mumps', 'rubella'],
  VZV: ['varicella'],
  'VZV-Z': ['herpeszoster'],
  FLU: ['seasonalinfluenza'],
  GK: ['yellowfever'],
  HPV: ['papillomavirus'],
  JE: ['ej'],
  M: ['measles'],
  R: ['rubella'],
  T: ['tetanus'],
  MENA: ['meningitis'],
  MENAC: ['meningitis'],
  MENACWY: ['meningitis'],
  MENW: ['meningitis'],
  MENY: ['meningitis'],
  MENB: ['meningitisb'],
  MENC: ['meningitisc'],
  PN: [],
  PNC: [],
  PNC10: [],
  PNC13: [],
  PN23: ['pneumonia23'],
  PN7C: ['pneumonia7'],
  RAB: ['rabies'],
  RV: ['rotavirus'],
  TBE: ['tickborneencephalitis'],
};

/**
 * The indications of a Vaccinnet group (upper case), or undefined when a part is not known.
 * @example indicationsOfGroup('DTPA-IPV') // ['diphteria', 'tetanus', 'pertussis', 'poliomyelitis']
 */
export function indicationsOfGroup(group: string): readonly VaccineIndication[] | undefined {
  const whole = PARTS[group];
  if (whole) return whole;
  const out: VaccineIndication[] = [];
  for (const part of group.split('-')) {
    const found = PARTS[part];
    if (!found) return undefined;
    for (const i of found) if (!out.includes(i)) out.push(i);
  }
  return out;
}
