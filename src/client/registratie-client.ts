import { signEnvelope } from '../wssec/sign-envelope.js';
import { registratieAction } from '../contracts/operations.js';
import { SOAP_SERVICES } from '../contracts/soap-services.js';
import {
  addVaccinationsEnvelope,
  getVaccinationsEnvelope,
  removeVaccinationEnvelope,
  type AddVaccinationsInput,
  type GetVaccinationsInput,
  type RemoveVaccinationInput,
} from './registratie-requests.js';
import {
  readAddVaccinationsResponse,
  readGetVaccinationsResponse,
  readRemoveVaccinationResponse,
  type AddVaccinationsResult,
  type GetVaccinationsResult,
  type RemoveVaccinationResult,
} from './registratie-responses.js';
import { SoapTransport, type TransportOptions } from './soap-transport.js';

/** The RegistratieService endpoint path (wire-contracts.md §1). */
export const REGISTRATIE_PATH = SOAP_SERVICES['VaccinationService-2_1'].path;

/** The caller's key pair, e.g. from an eHealth .p12 (alias `authentication`). */
export interface ClientKey {
  readonly privateKeyPem: string;
  readonly certificatePem: string;
  readonly certificateDer: Buffer;
}

export interface RegistratieClientOptions extends Omit<TransportOptions, 'clientCertificate'> {
  readonly key: ClientKey;
  /**
   * How the registry learns who calls: `signature` = WS-Security X.509 signature (as the real service expects),
   * `mutual-tls` = TLS client certificate only, `both`.
   */
  readonly authentication?: 'signature' | 'mutual-tls' | 'both';
}

/**
 * A RegistratieService client for integrators: builds the request, signs it, posts it, reads the answer.
 *
 * @example
 * const client = new RegistratieClient({ baseUrl: 'https://127.0.0.1:8443', ca, key: loadP12(file, password) });
 * const result = await client.addVaccinations({ softwareId: 'acme_gp', patientId, messages: [{ kmehr }] });
 */
export class RegistratieClient {
  readonly #transport: SoapTransport;
  readonly #key: ClientKey;
  readonly #sign: boolean;

  constructor(options: RegistratieClientOptions) {
    const auth = options.authentication ?? 'signature';
    this.#key = options.key;
    this.#sign = auth !== 'mutual-tls';
    this.#transport = new SoapTransport({
      ...options,
      ...(auth !== 'signature' && { clientCertificate: { certPem: options.key.certificatePem, keyPem: options.key.privateKeyPem } }),
    });
  }

  #prepare(envelope: string): string {
    return this.#sign ? signEnvelope(envelope, { privateKeyPem: this.#key.privateKeyPem, certificateDer: this.#key.certificateDer }) : envelope;
  }

  async addVaccinations(input: AddVaccinationsInput): Promise<AddVaccinationsResult> {
    const res = await this.#transport.post(REGISTRATIE_PATH, registratieAction('AddVaccinations'), this.#prepare(addVaccinationsEnvelope(input)));
    return readAddVaccinationsResponse(res.body, res.status);
  }

  async removeVaccination(input: RemoveVaccinationInput): Promise<RemoveVaccinationResult> {
    const res = await this.#transport.post(REGISTRATIE_PATH, registratieAction('RemoveVaccination'), this.#prepare(removeVaccinationEnvelope(input)));
    return readRemoveVaccinationResponse(res.body, res.status);
  }

  async getVaccinations(input: GetVaccinationsInput): Promise<GetVaccinationsResult> {
    const res = await this.#transport.post(REGISTRATIE_PATH, registratieAction('GetVaccinations'), this.#prepare(getVaccinationsEnvelope(input)));
    return readGetVaccinationsResponse(res.body, res.status);
  }

  close(): void {
    this.#transport.close();
  }
}
