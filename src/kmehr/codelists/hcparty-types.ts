/**
 * CD-HCPARTY: the full KMEHR 1.43 table (kmehr-vaccination.md: "accept the table, case-insensitively";
 * real read-backs send `APPLICATION`). The XSD does not check the value of a `cd`, so the registry does.
 */
export const HCPARTY_TYPES = [
  'application', 'certificateholder', 'deptalgology', 'deptanatomopathology', 'deptanesthesiology',
  'deptbacteriology', 'deptcardiacsurgery', 'deptcardiology', 'deptchildandadolescentpsychiatry',
  'deptdentistry', 'deptdermatology', 'deptdiabetology', 'deptdietetics', 'deptemergency', 'deptendocrinology',
  'deptgastroenterology', 'deptgeneralpractice', 'deptgenetics', 'deptgeriatry', 'deptgynecology',
  'depthandsurgery', 'depthematology', 'deptinfectiousdisease', 'deptintensivecare', 'deptkinesitherapy',
  'deptlaboratory', 'deptmajorburns', 'deptmaxillofacialsurgery', 'deptmedicine', 'deptmolecularbiology',
  'deptneonatalogy', 'deptnephrology', 'deptneurology', 'deptneurosurgery', 'deptnte', 'deptnuclear',
  'deptnursing', 'deptnutritiondietetics', 'deptobstetrics', 'deptoccupationaltherapy', 'deptoncology',
  'deptophtalmology', 'deptorthopedy', 'deptpalliativecare', 'deptpediatricintensivecare',
  'deptpediatricsurgery', 'deptpediatry', 'deptpharmacy', 'deptphysicalmedecine', 'deptphysiotherapy',
  'deptplasticandreparatorysurgery', 'deptpneumology', 'deptpodiatry', 'deptpsychiatry', 'deptpsychogeriatry',
  'deptpsychology', 'deptradiology', 'deptradiotherapy', 'deptrevalidation', 'deptrheumatology',
  'deptrhumatology', 'deptsenology', 'deptsocialservice', 'deptspeechtherapy', 'deptsportsmedecine',
  'deptstomatology', 'deptsurgery', 'deptthoracicsurgery', 'depttoxicology', 'depttropicalmedecine',
  'depturology', 'deptvascularsurgery', 'deptvisceraldigestiveabdominalsurgery', 'ecaresafe', 'groupofnurses',
  'groupofphysiciansdifferentaddress', 'groupofphysicianssameaddress', 'guardpost', 'hub', 'orghospital',
  'orginsurance', 'orglaboratory', 'orgpharmacy', 'orgpharmacyinvoicingoffice', 'orgpolyclinic', 'orgpractice',
  'orgprevention', 'orgprimaryhealthcarecenter', 'orgpsychiatriccarehome', 'orgpublichealth',
  'orgretirementhome', 'orgrevalidationcenter', 'orgshelteredliving', 'patient', 'persadministrative',
  'persambulancefirstaid', 'persappliedpsychbachelor', 'persaudician', 'persaudiologist',
  'persbandagistorthosiologist', 'persbiologist', 'perscaregiver', 'persclinicalorthopedagogist',
  'persclinicalpsychologist', 'persdentist', 'persdietician', 'perseducator', 'persfamilysciencebachelor',
  'persgerontologymaster', 'perslogopedist', 'persmidwife', 'persmobilityimprover', 'persnurse',
  'persoccupationaltherapist', 'persoptician', 'persoptometrist', 'persoraldentalhygienist',
  'persorthopedagogistmaster', 'persorthopedist', 'persorthoptist', 'persorthotist', 'persparamedical',
  'perspatientdriver', 'perspedagogybachelor', 'perspharmacist', 'perspharmacistclinicalbiologist',
  'perspharmacyassistant', 'persphysician', 'persphysiotherapist', 'perspodologist', 'perspracticalnurse',
  'persprosthesiologist', 'perspsychologist', 'perspsychomotortherapymaster', 'persreadaptationbachelor',
  'persshoetechnologist', 'perssocialworker', 'perstechnician', 'perstrussmaker',
] as const;
export type HcpartyType = (typeof HCPARTY_TYPES)[number];

/** The values this registry's messages actually use (senders, authors, the recipient). */
export const HCPARTY_TYPES_USED = [
  'persphysician', 'orghospital', 'orgpractice', 'orgpublichealth', 'orgprevention', 'orgprimaryhealthcarecenter',
  'guardpost', 'groupofphysicianssameaddress', 'groupofphysiciansdifferentaddress', 'application', 'hub',
] as const satisfies readonly HcpartyType[];

const LOWER: ReadonlySet<string> = new Set(HCPARTY_TYPES);

/** Whether `value` is a CD-HCPARTY code, compared case-insensitively. */
export function isHcpartyType(value: string): boolean {
  return LOWER.has(value.toLowerCase());
}
