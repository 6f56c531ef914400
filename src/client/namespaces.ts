/** Namespaces of the two services (wire-contracts.md §1-2). Element names and namespaces are evidence: keep them exact. */
export const SOAP_ENV_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const REGISTRATIE_NS = 'http://www.vaccinnet.be/VaccinnetUPL/wupl/VaccinationService/V21';
export const REGISTRATIE_MESSAGE_NS = 'http://www.vaccinnet.be/VaccinnetUPL/wupl/VaccinationService/V21/message';
export const BATCH_NS = 'http://www.vaccinnet.be/wupl/UPLVaccinatieGegevens';

export const REGISTRATIE_PATH = '/VaccinnetUPL/wupl/VaccinationService-2_1';
/** Our choice: the real path is not public (wire-contracts.md §2). */
export const BATCH_PATH = '/VaccinnetUPL/wupl/UPLVaccinatieGegevens';

export const SOAP_ACTIONS = {
  AddVaccinations: 'urn:be:fgov:ehealth:safe:vaccination:AddVaccinations',
  RemoveVaccination: 'urn:be:fgov:ehealth:safe:vaccination:RemoveVaccination',
  GetVaccinations: 'urn:be:fgov:ehealth:safe:vaccination:GetVaccinations',
} as const;
