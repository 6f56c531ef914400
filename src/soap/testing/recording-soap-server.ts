import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderWsdl, renderXsd } from '../../contracts/render-contract.js';
import { SOAP_SERVICES, type SoapServiceName } from '../../contracts/soap-services.js';

/** One SOAP POST as received. */
export interface RecordedCall {
  readonly path: string;
  readonly soapAction: string | undefined;
  readonly body: Buffer;
}

/** What the test answers a recorded call with. */
export type Responder = (call: RecordedCall) => { status?: number; body: string };

export interface RecordingSoapServer {
  readonly baseUrl: string;
  readonly calls: RecordedCall[];
  wsdlUrl(name: SoapServiceName): string;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A tiny node:http server for contract tests: serves `?wsdl` and `?xsd=` of both services exactly as `renderWsdl`/
 * `renderXsd` produce them, and records every POST so a test can feed the bytes an independent SOAP client sent to
 * our envelope readers. Test-only: the real endpoints live in the server's SOAP plugin.
 */
export async function startRecordingSoapServer(respond: Responder): Promise<RecordingSoapServer> {
  const calls: RecordedCall[] = [];
  let baseUrl = '';
  const server: Server = createServer((req, res) => {
    void (async (): Promise<void> => {
      const url = new URL(req.url ?? '/', baseUrl);
      const service = Object.values(SOAP_SERVICES).find((s) => s.path === url.pathname);
      if (service === undefined) {
        res.writeHead(404).end();
        return;
      }
      if (req.method === 'GET') {
        const xsd = url.searchParams.get('xsd');
        const text = url.searchParams.has('wsdl') ? renderWsdl(service.name, baseUrl) : xsd !== null ? renderXsd(service.name, xsd, baseUrl) : undefined;
        if (text === undefined) res.writeHead(404).end();
        else res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end(text);
        return;
      }
      const header = req.headers.soapaction;
      const call: RecordedCall = { path: url.pathname, soapAction: Array.isArray(header) ? header[0] : header, body: await readBody(req) };
      calls.push(call);
      const answer = respond(call);
      res.writeHead(answer.status ?? 200, { 'content-type': 'text/xml; charset=utf-8' }).end(answer.body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    calls,
    wsdlUrl: (name) => `${baseUrl}${SOAP_SERVICES[name].path}?wsdl`,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
