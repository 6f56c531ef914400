import { EXT } from './fhir-systems.js';
import type { ImmunizationPaths } from './from-immunization.js';

const PRODUCT = `Immunization.extension('${EXT.administeredProduct}')`;
const RECORDER = `Immunization.extension('${EXT.recorder}').value.identifier`;

/**
 * The FHIRPath of the Immunization element a KMEHR finding's XPath points at, for the message `fromImmunization`
 * built (one folder, one transaction, item 1 the vaccine, items 2… one per reaction). A location that is already a
 * FHIRPath (the FHIR_* checks) is returned as it is; an unknown place is the resource itself.
 */
export function fhirPathOf(location: string | undefined, paths: ImmunizationPaths): string {
  if (location === undefined || location === '') return 'Immunization';
  if (!location.startsWith('/kmehrmessage')) return location;
  if (location.startsWith('/kmehrmessage/header/sender')) return RECORDER;
  if (location.startsWith('/kmehrmessage/folder[1]/patient')) return 'Immunization.patient.identifier';
  const tx = /^\/kmehrmessage\/folder\[1\]\/transaction\[1\](.*)$/.exec(location);
  if (!tx) return 'Immunization';
  const rest = tx[1] ?? '';
  if (rest.startsWith('/author')) return paths.authorFromPerformer ? 'Immunization.performer[0].actor.identifier' : RECORDER;
  if (rest.startsWith('/date') || rest.startsWith('/time')) return 'Immunization.recorded';
  if (rest.startsWith('/cd')) return 'Immunization';
  const item = /^\/item\[(\d+)\](.*)$/.exec(rest);
  if (!item) return 'Immunization';
  const n = Number(item[1]);
  if (n > 1) return `Immunization.reaction[${n - 2}]`;
  return itemPath(item[2] ?? '', paths);
}

function itemPath(rest: string, paths: ImmunizationPaths): string {
  if (rest === '') return 'Immunization.vaccineCode';
  if (rest.startsWith('/beginmoment')) return 'Immunization.occurrence';
  if (rest.startsWith('/batch')) return `${PRODUCT}.extension('lotNumber').value`;
  if (rest.startsWith('/quantity')) return 'Immunization.doseQuantity.value';
  if (rest.startsWith('/lifecycle')) return 'Immunization.status';
  if (rest.startsWith('/author')) return 'Immunization.performer[0].actor.identifier';
  const content = /^\/content\[(\d+)\](?:\/medicinalproduct\/intendedcd|\/cd)?(?:\[(\d+)\])?/.exec(rest);
  if (content) {
    const codes = paths.codes[Number(content[1]) - 1];
    return codes?.[Number(content[2] ?? 1) - 1] ?? codes?.[0] ?? 'Immunization.vaccineCode';
  }
  return 'Immunization.vaccineCode';
}
