/**
 * The two SOAP services this registry serves: their endpoint paths and the contract files we wrote for them
 * (wire-contracts.md §1-2). The WSDL/XSD files sit beside this module and are served as files, not generated.
 */
export const SOAP_SERVICE_NAMES = ['VaccinationService-2_1', 'UPLVaccinatieGegevens'] as const;
export type SoapServiceName = (typeof SOAP_SERVICE_NAMES)[number];

export interface SoapServiceContract {
  readonly name: SoapServiceName;
  /** HTTP path of the endpoint; `?wsdl` and `?xsd=<file>` on the same path serve the contract. */
  readonly path: string;
  readonly wsdlFile: string;
  /** Every XSD the WSDL reaches (directly or through imports). */
  readonly xsdFiles: readonly string[];
}

export const SOAP_SERVICES: Readonly<Record<SoapServiceName, SoapServiceContract>> = Object.freeze({
  // Real acceptance path (wire-contracts.md §1).
  'VaccinationService-2_1': Object.freeze({
    name: 'VaccinationService-2_1',
    path: '/VaccinnetUPL/wupl/VaccinationService-2_1',
    wsdlFile: 'VaccinationService-2_1.wsdl',
    xsdFiles: Object.freeze(['VaccinationService-2_1.xsd', 'VaccinationService-2_1-message.xsd']),
  }),
  // Path not public: our choice, beside the RegistratieService (wire-contracts.md §2).
  UPLVaccinatieGegevens: Object.freeze({
    name: 'UPLVaccinatieGegevens',
    path: '/VaccinnetUPL/wupl/UPLVaccinatieGegevens',
    wsdlFile: 'UPLVaccinatieGegevens.wsdl',
    xsdFiles: Object.freeze(['UPLVaccinatieGegevens.xsd']),
  }),
});

/** The base URL written in the files on disk; `renderWsdl` replaces it with the server's own. */
export const PLACEHOLDER_BASE_URL = 'https://localhost:8443';
