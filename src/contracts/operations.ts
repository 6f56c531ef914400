/**
 * Operations of both services with their body elements and SOAPAction values. RegistratieService actions are
 * evidence (wire-contracts.md §1); BatchUpload actions are our choice (not public) and match our WSDL.
 */
export const REGISTRATIE_OPERATIONS = ['AddVaccinations', 'RemoveVaccination', 'GetVaccinations'] as const;
export type RegistratieOperation = (typeof REGISTRATIE_OPERATIONS)[number];

export const REGISTRATIE_ACTION_PREFIX = 'urn:be:fgov:ehealth:safe:vaccination:';

export function registratieAction(op: RegistratieOperation): string {
  return `${REGISTRATIE_ACTION_PREFIX}${op}`;
}

export const BATCH_OPERATIONS = ['Aanleveren', 'Aanvulling', 'ResultaatVerwerking'] as const;
export type BatchOperation = (typeof BATCH_OPERATIONS)[number];

export const BATCH_ACTION_PREFIX = 'urn:be:vaccinnet:wupl:UPLVaccinatieGegevens:';

/** WSDL operation name: `AanleverenVaccinatieGegevens`, … */
export function batchOperationName(op: BatchOperation): string {
  return `${op}VaccinatieGegevens`;
}

export function batchAction(op: BatchOperation): string {
  return `${BATCH_ACTION_PREFIX}${batchOperationName(op)}`;
}

/** `GetAanleverenVaccinatieGegevensRequest` / `…Response`. */
export function batchElement(op: BatchOperation, kind: 'Request' | 'Response'): string {
  return `Get${batchOperationName(op)}${kind}`;
}

/**
 * The SOAPAction header as sent: SOAP 1.1 quotes it (`"urn:…"`); an absent or empty one means "look at the body".
 */
export function normaliseSoapAction(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const v = header
    .trim()
    .replace(/^"(.*)"$/s, '$1')
    .trim();
  return v === '' ? undefined : v;
}
