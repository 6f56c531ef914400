import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PLACEHOLDER_BASE_URL, SOAP_SERVICES, type SoapServiceName } from './soap-services.js';

// Read once: the files are small and never change while the process runs.
const cache = new Map<string, string>();
function readContractFile(file: string): string {
  let text = cache.get(file);
  if (text === undefined) {
    text = readFileSync(new URL(`./${file}`, import.meta.url), 'utf8');
    cache.set(file, text);
  }
  return text;
}

/** Absolute path of one contract file on disk. */
export function contractFilePath(file: string): string {
  return fileURLToPath(new URL(`./${file}`, import.meta.url));
}

function trimBase(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '');
}

/** URL under which the served copy of `xsdFile` is found: `<base><endpoint>?xsd=<file>`. */
export function xsdUrl(name: SoapServiceName, baseUrl: string, xsdFile: string): string {
  return `${trimBase(baseUrl)}${SOAP_SERVICES[name].path}?xsd=${encodeURIComponent(xsdFile)}`;
}

// Relative schemaLocations (as on disk) become absolute `?xsd=` URLs of the same endpoint, so a client that fetched
// the WSDL over HTTP resolves every import from us, and the files on disk stay loadable as they are.
function rewriteSchemaLocations(name: SoapServiceName, text: string, baseUrl: string): string {
  const known = SOAP_SERVICES[name].xsdFiles;
  return text.replace(/schemaLocation="([^"]+)"/g, (whole, file: string) => (known.includes(file) ? `schemaLocation="${xsdUrl(name, baseUrl, file)}"` : whole));
}

/**
 * The WSDL of one service as served at `<endpoint>?wsdl`: the placeholder `soap:address` and the relative XSD
 * imports point at `baseUrl` (e.g. `https://vaccinnet.example:8443`, no trailing slash needed).
 *
 * @param name - which service
 * @param baseUrl - scheme, host and port clients reach this server at
 * @example renderWsdl('VaccinationService-2_1', 'https://127.0.0.1:8443')
 */
export function renderWsdl(name: SoapServiceName, baseUrl: string): string {
  const service = SOAP_SERVICES[name];
  const text = readContractFile(service.wsdlFile).replaceAll(
    `location="${PLACEHOLDER_BASE_URL}${service.path}"`,
    `location="${trimBase(baseUrl)}${service.path}"`,
  );
  return rewriteSchemaLocations(name, text, baseUrl);
}

/**
 * One XSD of a service as served at `<endpoint>?xsd=<file>`, or `undefined` when `file` is not one of that
 * service's schemas (the server answers 404; nothing else on disk is reachable this way).
 *
 * @param name - which service
 * @param file - the `xsd` query value, e.g. `VaccinationService-2_1.xsd`
 * @param baseUrl - scheme, host and port clients reach this server at
 */
export function renderXsd(name: SoapServiceName, file: string, baseUrl: string): string | undefined {
  if (!SOAP_SERVICES[name].xsdFiles.includes(file)) return undefined;
  return rewriteSchemaLocations(name, readContractFile(file), baseUrl);
}
