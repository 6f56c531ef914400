import https from 'node:https';
import http from 'node:http';

export interface TransportOptions {
  /** Base URL of the registry, e.g. https://127.0.0.1:8443 */
  readonly baseUrl: string;
  /** CA certificate(s) that issued the server certificate (the development CA for a local registry). */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  /** Client certificate and key for mutual TLS (PEM). */
  readonly clientCertificate?: { readonly certPem: string; readonly keyPem: string };
  readonly timeoutMs?: number;
  /** Parallel connections kept alive. */
  readonly maxSockets?: number;
}

export interface SoapHttpResponse {
  readonly status: number;
  readonly body: string;
}

/** Posts SOAP 1.1 envelopes over one keep-alive agent. */
export class SoapTransport {
  readonly #agent: http.Agent;
  readonly #base: URL;
  readonly #timeout: number;

  constructor(options: TransportOptions) {
    this.#base = new URL(options.baseUrl);
    this.#timeout = options.timeoutMs ?? 30_000;
    const common = { keepAlive: true, maxSockets: options.maxSockets ?? 16 };
    this.#agent =
      this.#base.protocol === 'https:'
        ? new https.Agent({
            ...common,
            ...(options.ca !== undefined && { ca: Array.isArray(options.ca) ? [...options.ca] : (options.ca as string | Buffer) }),
            ...(options.clientCertificate && { cert: options.clientCertificate.certPem, key: options.clientCertificate.keyPem }),
          })
        : new http.Agent(common);
  }

  post(path: string, soapAction: string, envelope: string | Buffer): Promise<SoapHttpResponse> {
    const url = new URL(path, this.#base);
    const lib = url.protocol === 'https:' ? https : http;
    const payload = typeof envelope === 'string' ? Buffer.from(envelope, 'utf8') : envelope;
    return new Promise((resolve, reject) => {
      const req = lib.request(
        url,
        { method: 'POST', agent: this.#agent, timeout: this.#timeout, headers: soapHeaders(soapAction, payload.length) },
        collectAnswer(resolve, reject),
      );
      failOnTimeout(req, url, this.#timeout, reject);
      req.end(payload);
    });
  }

  get(path: string): Promise<SoapHttpResponse> {
    const url = new URL(path, this.#base);
    const lib = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      lib.get(url, { agent: this.#agent, timeout: this.#timeout }, collectAnswer(resolve, reject)).on('error', reject);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}

/** The headers of a SOAP 1.1 POST (the SOAPAction value is quoted, as SOAP 1.1 §6.1.1 writes it). */
export function soapHeaders(soapAction: string, contentLength: number): http.OutgoingHttpHeaders {
  return { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${soapAction}"`, 'content-length': contentLength };
}

/** A response callback that gathers the whole body as UTF-8 text. */
export function collectAnswer(resolve: (answer: SoapHttpResponse) => void, reject: (error: Error) => void): (res: http.IncomingMessage) => void {
  return (res) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    res.on('error', reject);
  };
}

/** Gives up on a request that had no answer within `timeout` ms (http's `timeout` only emits an event). */
export function failOnTimeout(req: http.ClientRequest, url: URL, timeout: number, reject: (error: Error) => void): void {
  req.on('timeout', () => req.destroy(new Error(`no answer from ${url.origin} within ${timeout} ms`)));
  req.on('error', reject);
}
