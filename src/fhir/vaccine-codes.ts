import type { VaccineProduct } from '../registry/vaccination.js';
import { UNSPECIFIED_VACCINE } from './fhir-systems.js';

/**
 * `vaccineCode` from the registry's product (fhir-bevaccination.md §6.1, our mapping: the IG has no ConceptMap).
 * Each row: SNOMED CT antigen-set code, English display, the Vaccinnet groups and the exact CD-VACCINEINDICATION set
 * that map to it. The product decides first (its Vaccinnet group), then the indication set; nothing else guesses.
 * Not operator-editable yet (the spec asks for that; docs/decisions.md "Issue 13 — FHIR").
 */
interface VaccineCodeRow {
  readonly snomed: string;
  readonly display: string;
  readonly groups: readonly string[];
  readonly indications: readonly string[];
}

const ROWS: readonly VaccineCodeRow[] = [
  { snomed: '28531000087107', display: 'SARS-CoV-2 vaccine', groups: ['COVID-19'], indications: ['covid19'] },
  { snomed: '1181000221105', display: 'Influenza virus antigen only vaccine product', groups: ['FLU'], indications: ['seasonalinfluenza'] },
  { snomed: '871751006', display: 'Hepatitis A virus antigen only vaccine product', groups: ['HAV'], indications: ['hepatitisa'] },
  { snomed: '871822003', display: 'Hepatitis B virus antigen only vaccine product', groups: ['HBV'], indications: ['hepatitisb'] },
  { snomed: '871803007', display: 'Hepatitis A and B virus antigens only vaccine product', groups: ['HAV-HBV'], indications: ['hepatitisa', 'hepatitisb'] },
  {
    snomed: '871804001',
    display: 'Hepatitis A virus and Salmonella Typhi antigens only vaccine product',
    groups: ['HAV-TYF'],
    indications: ['hepatitisa', 'typhoid'],
  },
  { snomed: '961000221100', display: 'Salmonella Typhi antigen only vaccine product', groups: ['TYF'], indications: ['typhoid'] },
  {
    snomed: '871895005',
    display: 'Diphtheria, tetanus, pertussis, Hib, hepatitis B and poliomyelitis antigens only vaccine product',
    groups: ['DTPA-IPV-HIB-HBV'],
    indications: ['diphteria', 'tetanus', 'pertussis', 'poliomyelitis', 'hib', 'hepatitisb'],
  },
  {
    snomed: '871887006',
    display: 'Diphtheria, tetanus, pertussis, Hib and poliomyelitis antigens only vaccine product',
    groups: ['DTPA-IPV-HIB'],
    indications: ['diphteria', 'tetanus', 'pertussis', 'poliomyelitis', 'hib'],
  },
  {
    snomed: '871891001',
    display: 'Diphtheria, tetanus, pertussis, hepatitis B and poliomyelitis antigens only vaccine product',
    groups: ['DTPA-IPV-HBV'],
    indications: ['diphteria', 'tetanus', 'pertussis', 'poliomyelitis', 'hepatitisb'],
  },
  {
    snomed: '871886002',
    display: 'Diphtheria, tetanus, pertussis, Hib and hepatitis B antigens only vaccine product',
    groups: [],
    indications: ['diphteria', 'tetanus', 'pertussis', 'hib', 'hepatitisb'],
  },
  {
    snomed: '871878002',
    display: 'Diphtheria, tetanus, pertussis and poliomyelitis antigens only vaccine product',
    groups: ['DTPA-IPV', 'DTPW-IPV'],
    indications: ['diphteria', 'tetanus', 'pertussis', 'poliomyelitis'],
  },
  {
    snomed: '871839001',
    display: 'Diphtheria, tetanus, pertussis and Hib antigens only vaccine product',
    groups: [],
    indications: ['diphteria', 'tetanus', 'pertussis', 'hib'],
  },
  {
    snomed: '871875004',
    display: 'Diphtheria, tetanus and pertussis antigens only vaccine product',
    groups: ['DTPA', 'DTP', 'DTPW'],
    indications: ['diphteria', 'tetanus', 'pertussis'],
  },
  {
    snomed: '871837004',
    display: 'Diphtheria, tetanus and poliomyelitis antigens only vaccine product',
    groups: ['DT-IPV'],
    indications: ['diphteria', 'tetanus', 'poliomyelitis'],
  },
  { snomed: '871826000', display: 'Diphtheria and tetanus antigens only vaccine product', groups: ['DT'], indications: ['diphteria', 'tetanus'] },
  { snomed: '871742003', display: 'Clostridium tetani antigen only vaccine product', groups: ['T'], indications: ['tetanus'] },
  { snomed: '871729003', display: 'Corynebacterium diphtheriae antigen only vaccine product', groups: [], indications: ['diphteria'] },
  { snomed: '871758000', display: 'Bordetella pertussis antigen only vaccine product', groups: [], indications: ['pertussis'] },
  { snomed: '871739009', display: 'Human poliovirus antigen only vaccine product', groups: ['IPV', 'OPV', 'POLIO'], indications: ['poliomyelitis'] },
  { snomed: '871764007', display: 'Haemophilus influenzae type b antigen only vaccine product', groups: ['HIB'], indications: ['hib'] },
  {
    snomed: '836500008',
    display: 'Haemophilus influenzae type b and Neisseria meningitidis serogroup C antigens only vaccine product',
    groups: [],
    indications: ['hib', 'meningitisc'],
  },
  { snomed: '871765008', display: 'Measles morbillivirus antigen only vaccine product', groups: ['M'], indications: ['measles'] },
  { snomed: '871737006', display: 'Mumps orthorubulavirus antigen only vaccine product', groups: ['B'], indications: ['mumps'] },
  { snomed: '871732000', display: 'Rubella virus antigen only vaccine product', groups: ['R'], indications: ['rubella'] },
  { snomed: '1252703004', display: 'Measles and mumps antigens only vaccine product', groups: [], indications: ['measles', 'mumps'] },
  { snomed: '871817003', display: 'Measles and rubella antigens only vaccine product', groups: [], indications: ['measles', 'rubella'] },
  { snomed: '871831003', display: 'Measles, mumps and rubella antigens only vaccine product', groups: ['MBR'], indications: ['measles', 'mumps', 'rubella'] },
  {
    snomed: '871908002',
    display: 'Measles, mumps, rubella and varicella antigens only vaccine product',
    groups: ['MBR-VZV'],
    indications: ['measles', 'mumps', 'rubella', 'varicella'],
  },
  { snomed: '871919004', display: 'Varicella-zoster virus antigen only vaccine product', groups: ['VZV', 'VZV-Z'], indications: ['varicella'] },
  { snomed: '871919004', display: 'Varicella-zoster virus antigen only vaccine product', groups: [], indications: ['herpeszoster'] },
  { snomed: '871866001', display: 'Neisseria meningitidis serogroup C antigen only vaccine product', groups: ['MENC'], indications: ['meningitisc'] },
  { snomed: '1981000221108', display: 'Neisseria meningitidis serogroup B antigen only vaccine product', groups: ['MENB'], indications: ['meningitisb'] },
  { snomed: '1252690003', display: 'Neisseria meningitidis serogroup A antigen only vaccine product', groups: ['MENA'], indications: [] },
  { snomed: '871871008', display: 'Neisseria meningitidis serogroup A and C antigens only vaccine product', groups: ['MENAC'], indications: [] },
  { snomed: '871873006', display: 'Neisseria meningitidis serogroup A, C, W135 and Y antigens only vaccine product', groups: ['MENACWY'], indications: [] },
  { snomed: '921000221108', display: 'Neisseria meningitidis antigen only vaccine product', groups: ['MENW', 'MENY'], indications: ['meningitis'] },
  { snomed: '1052328007', display: 'Streptococcus pneumoniae 7-valent conjugated vaccine product', groups: ['PN7C'], indications: ['pneumonia7'] },
  { snomed: '1052330009', display: 'Streptococcus pneumoniae 10-valent conjugated vaccine product', groups: ['PNC10'], indications: [] },
  { snomed: '51451000087105', display: 'Streptococcus pneumoniae 13-valent conjugated vaccine product', groups: ['PNC13'], indications: [] },
  { snomed: '1252708008', display: 'Streptococcus pneumoniae 15-valent conjugated vaccine product', groups: [], indications: ['pneumonia15'] },
  { snomed: '1252709000', display: 'Streptococcus pneumoniae 20-valent conjugated vaccine product', groups: [], indications: ['pneumonia20'] },
  { snomed: '1119220001', display: 'Streptococcus pneumoniae 23-valent polysaccharide vaccine product', groups: ['PN23'], indications: ['pneumonia23'] },
  { snomed: '981000221107', display: 'Streptococcus pneumoniae antigen only vaccine product', groups: ['PN', 'PNC'], indications: [] },
  { snomed: '911000221103', display: 'Human papillomavirus antigen only vaccine product', groups: ['HPV'], indications: ['papillomavirus'] },
  { snomed: '871761004', display: 'Rotavirus antigen only vaccine product', groups: ['RV'], indications: ['rotavirus'] },
  { snomed: '871726005', display: 'Rabies lyssavirus antigen only vaccine product', groups: ['RAB'], indications: ['rabies'] },
  { snomed: '871717007', display: 'Yellow fever virus antigen only vaccine product', groups: ['GK'], indications: ['yellowfever'] },
  { snomed: '871719005', display: 'Tick-borne encephalitis virus antigen only vaccine product', groups: ['TBE'], indications: ['tickborneencephalitis'] },
  { snomed: '871724008', display: 'Japanese encephalitis virus antigen only vaccine product', groups: ['JE'], indications: ['ej'] },
  { snomed: '991000221105', display: 'Vibrio cholerae antigen only vaccine product', groups: ['CHOL'], indications: ['cholera'] },
  { snomed: '1861000221106', display: 'Mycobacterium bovis antigen only vaccine product', groups: ['BCG'], indications: ['tuberculosis'] },
  { snomed: '871727001', display: 'Vaccinia virus antigen only vaccine product', groups: [], indications: ['monkeypox'] },
  { snomed: '1345202008', display: 'Chikungunya virus antigen only vaccine product', groups: [], indications: ['ixchiq'] },
];

const setKey = (codes: readonly string[]): string => [...new Set(codes.map((c) => c.toLowerCase()))].sort().join('+');

const BY_GROUP = new Map<string, VaccineCodeRow>();
const BY_INDICATIONS = new Map<string, VaccineCodeRow>();
const BY_SNOMED = new Map<string, VaccineCodeRow>();
for (const row of ROWS) {
  for (const g of row.groups) BY_GROUP.set(g, row);
  if (row.indications.length > 0 && !BY_INDICATIONS.has(setKey(row.indications))) BY_INDICATIONS.set(setKey(row.indications), row);
  if (!BY_SNOMED.has(row.snomed)) BY_SNOMED.set(row.snomed, row);
}
// 'pandemics' is influenza too (fhir-bevaccination.md §6.1, our choice).
BY_INDICATIONS.set('pandemics', BY_INDICATIONS.get('seasonalinfluenza')!);

export interface VaccineCode {
  readonly code: string;
  readonly display?: string;
  /** Set when the code is "unspecified vaccine": invariant 1 wants a text. */
  readonly text?: string;
}

/**
 * The SNOMED CT code of a stored product: by its Vaccinnet group, else by its exact indication set, else
 * "unspecified vaccine" with the product's name or indications as text (invariant be-rule-vaccination-1).
 */
export function vaccineCodeOf(product: VaccineProduct): VaccineCode {
  const row = BY_GROUP.get(product.group.toUpperCase()) ?? (product.indications.length > 0 ? BY_INDICATIONS.get(setKey(product.indications)) : undefined);
  if (row) return { code: row.snomed, display: row.display };
  const text = product.name ?? (product.indications.length > 0 ? product.indications.join(', ') : (product.vaccinnetCode ?? product.atc ?? product.group));
  return { code: UNSPECIFIED_VACCINE, display: 'Vaccine product', text };
}

/** The CD-VACCINEINDICATION set a SNOMED vaccine code stands for (empty when it names none, or is unknown). */
export function indicationsOfSnomed(code: string): readonly string[] {
  return BY_SNOMED.get(code)?.indications ?? [];
}
