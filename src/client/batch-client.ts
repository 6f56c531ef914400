import http from 'node:http';
import https from 'node:https';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { SOAP_SERVICES } from '../contracts/soap-services.js';
import { batchAction } from '../contracts/operations.js';
import { signEnvelope } from '../wssec/sign-envelope.js';
import { deliveryEnvelope, resultEnvelope, type DeliveryOperation, type DeliveryOptions } from './batch-requests.js';
import { readDeliveryResponse, readResultResponse, type DeliveryAnswer, type ResultAnswer } from './batch-responses.js';
import { fileDeliveryEnvelope, type FileEnvelope } from './batch-signed-envelope.js';
import type { ClientKey } from './registratie-client.js';
import { collectAnswer, failOnTimeout, soapHeaders, SoapTransport, type SoapHttpResponse, type TransportOptions } from './soap-transport.js';

export interface BatchClientOptions extends Omit<TransportOptions, 'clientCertificate'> {
  /** The organisation's key pair, e.g. `loadP12(file, password)` of its eHealth keystore. */
  readonly key: ClientKey;
  /** `signature` = WS-Security X.509 (as the real service expects), `mutual-tls` = TLS client certificate only, `both`. */
  readonly authentication?: 'signature' | 'mutual-tls' | 'both';
}

/** The BatchUpload endpoint path (our choice, wire-contracts.md §2). */
export const BATCH_UPLOAD_PATH = SOAP_SERVICES.UPLVaccinatieGegevens.path;

/**
 * A BatchUpload (UPLVaccinatieGegevens) client for organisations: deliver or supplement a KMEHR batch message and
 * fetch its per-transaction result later. Requests are WS-Security signed like the RegistratieClient's.
 *
 * @example
 * const client = new BatchClient({ baseUrl: 'https://127.0.0.1:8443', ca, key: loadP12(file, password) });
 * const answer = await client.deliverFile('batch.xml', { pakket: 'acme_hospital' });
 * if (answer.accepted) console.log(await client.result(answer.transactionId, 'UZ0001'));
 */
export class BatchClient {
  readonly #transport: SoapTransport;
  readonly #key: ClientKey;
  readonly #sign: boolean;
  readonly #base: URL;
  readonly #timeout: number;
  readonly #streamAgent: http.Agent;

  constructor(options: BatchClientOptions) {
    const auth = options.authentication ?? 'signature';
    this.#key = options.key;
    this.#sign = auth !== 'mutual-tls';
    const clientCertificate = auth !== 'signature' ? { certPem: options.key.certificatePem, keyPem: options.key.privateKeyPem } : undefined;
    this.#transport = new SoapTransport({ ...options, ...(clientCertificate && { clientCertificate }) });
    this.#base = new URL(options.baseUrl);
    // Large deliveries take minutes to upload and process at intake: a longer default than small calls.
    this.#timeout = options.timeoutMs ?? 600_000;
    this.#streamAgent =
      this.#base.protocol === 'https:'
        ? new https.Agent({
            keepAlive: false,
            ...(options.ca !== undefined && { ca: Array.isArray(options.ca) ? [...options.ca] : (options.ca as string | Buffer) }),
            ...(clientCertificate && { cert: clientCertificate.certPem, key: clientCertificate.keyPem }),
          })
        : new http.Agent({ keepAlive: false });
  }

  #prepare(envelope: string): string {
    return this.#sign ? signEnvelope(envelope, { privateKeyPem: this.#key.privateKeyPem, certificateDer: this.#key.certificateDer }) : envelope;
  }

  async #send(operation: DeliveryOperation, kmehrXml: string | Buffer, options: DeliveryOptions): Promise<DeliveryAnswer> {
    const res = await this.#transport.post(BATCH_UPLOAD_PATH, batchAction(operation), this.#prepare(deliveryEnvelope(operation, kmehrXml, options)));
    return readDeliveryResponse(res.body, res.status);
  }

  /** Aanleveren: delivers a KMEHR batch message held in memory (sent inline, its XML declaration removed). */
  deliver(kmehrXml: string | Buffer, options: DeliveryOptions): Promise<DeliveryAnswer> {
    return this.#send('Aanleveren', kmehrXml, options);
  }

  /** Aanvulling: a supplement; a transaction whose LOCAL id matches an earlier one replaces it, a new one is added. */
  supplement(kmehrXml: string | Buffer, options: DeliveryOptions): Promise<DeliveryAnswer> {
    return this.#send('Aanvulling', kmehrXml, options);
  }

  /**
   * Delivers (or supplements) a KMEHR file without reading it into memory: the Body digest is computed in a first
   * streaming pass, then the file is streamed into the request.
   */
  async deliverFile(file: string, options: DeliveryOptions & { readonly supplement?: boolean }): Promise<DeliveryAnswer> {
    const operation: DeliveryOperation = options.supplement === true ? 'Aanvulling' : 'Aanleveren';
    const key = this.#sign ? { privateKeyPem: this.#key.privateKeyPem, certificateDer: this.#key.certificateDer } : undefined;
    const envelope = await fileDeliveryEnvelope(operation, file, options, key);
    const res = await this.#postStream(batchAction(operation), envelope);
    return readDeliveryResponse(res.body, res.status);
  }

  /** ResultaatVerwerking: the result of an earlier delivery (`requestId` = its transactionId). */
  async result(requestId: string, gebruikersId: string): Promise<ResultAnswer> {
    const res = await this.#transport.post(BATCH_UPLOAD_PATH, batchAction('ResultaatVerwerking'), this.#prepare(resultEnvelope({ requestId, gebruikersId })));
    return readResultResponse(res.body, res.status);
  }

  #postStream(soapAction: string, envelope: FileEnvelope): Promise<SoapHttpResponse> {
    const url = new URL(BATCH_UPLOAD_PATH, this.#base);
    const lib = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = lib.request(
        url,
        { method: 'POST', agent: this.#streamAgent, timeout: this.#timeout, headers: soapHeaders(soapAction, envelope.contentLength) },
        collectAnswer(resolve, reject),
      );
      failOnTimeout(req, url, this.#timeout, reject);
      // The server may answer (e.g. refuse) before the upload ends: a pipeline error then is not the outcome.
      pipeline(Readable.from(envelope.chunks()), req).catch((e: unknown) => req.destroy(e as Error));
    });
  }

  close(): void {
    this.#transport.close();
    this.#streamAgent.destroy();
  }
}
