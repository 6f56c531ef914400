import { kmehrReadPath, type KmehrReadList, type KmehrReadStatus } from '../contracts/kmehr-read.js';
import type { ClientKey } from './registratie-client.js';
import { SoapTransport, type TransportOptions } from './soap-transport.js';

export interface KmehrReadClientOptions extends Omit<TransportOptions, 'clientCertificate'> {
  /** The caller's key pair: the KMEHR read authenticates by the TLS client certificate only. */
  readonly key: ClientKey;
}

export interface KmehrReadInput {
  readonly softwareId: string;
  readonly ssin: string;
  /** YYYY-MM-DD: only vaccinations administered on or after it. */
  readonly since?: string;
}

export type KmehrReadResult =
  ({ readonly ok: true; readonly httpStatus: number } & KmehrReadList) | { readonly ok: false; readonly httpStatus: number; readonly status: KmehrReadStatus };

/**
 * The Vitalink-shaped KMEHR read (docs/kmehr-read.md) over mutual TLS: one KMEHR message per vaccination.
 *
 * @example
 * const client = new KmehrReadClient({ baseUrl: 'https://127.0.0.1:8443', ca, key: loadP12(file, password) });
 * const { entries } = await client.vaccinations({ softwareId: 'acme_gp', ssin });
 */
export class KmehrReadClient {
  readonly #transport: SoapTransport;

  constructor(options: KmehrReadClientOptions) {
    this.#transport = new SoapTransport({ ...options, clientCertificate: { certPem: options.key.certificatePem, keyPem: options.key.privateKeyPem } });
  }

  async vaccinations(input: KmehrReadInput): Promise<KmehrReadResult> {
    const query = new URLSearchParams({ softwareId: input.softwareId, ...(input.since !== undefined && { since: input.since }) });
    const res = await this.#transport.get(`${kmehrReadPath(input.ssin)}?${query.toString()}`);
    let body: Partial<KmehrReadList>;
    try {
      body = JSON.parse(res.body) as Partial<KmehrReadList>;
    } catch {
      throw new Error(`the registry answered HTTP ${res.status} without a JSON body`);
    }
    if (body.status === undefined) throw new Error(`the registry answered HTTP ${res.status} without a status`);
    if (res.status !== 200) return { ok: false, httpStatus: res.status, status: body.status };
    return { ok: true, httpStatus: res.status, status: body.status, subject: body.subject ?? input.ssin, entries: body.entries ?? [] };
  }

  close(): void {
    this.#transport.close();
  }
}
