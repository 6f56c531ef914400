/** XML namespaces on the wire (wire-contracts.md §1-2). */
export const SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope';
/** RegistratieService root elements. */
export const V21_NS = 'http://www.vaccinnet.be/VaccinnetUPL/wupl/VaccinationService/V21';
/** RegistratieService child elements (elementFormDefault qualified). */
export const V21_MESSAGE_NS = 'http://www.vaccinnet.be/VaccinnetUPL/wupl/VaccinationService/V21/message';
/** BatchUpload elements. */
export const UPL_NS = 'http://www.vaccinnet.be/wupl/UPLVaccinatieGegevens';
export const KMEHR_NS = 'http://www.ehealth.fgov.be/standards/kmehr/schema/v1';
/** Namespace of the `detail` content of our SOAP faults (our choice). */
export const STATUS_DETAIL_NS = 'urn:vaccinnet-open:status';
