import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistryWithLog, type RegistryWithLog } from './testing/registry-with-log.js';

// Small values so a slow client is cut off within seconds (production defaults: 10 s, 120 s, 65 s, 1024).
const HEADERS_MS = 600;
const REQUEST_MS = 1500;
const KEEP_ALIVE_MS = 800;
const MAX_CONNECTIONS = 4;
let t: RegistryWithLog;

beforeAll(async () => {
  t = await startRegistryWithLog({
    'server.headersTimeoutMs': HEADERS_MS,
    'server.requestTimeoutMs': REQUEST_MS,
    'server.keepAliveTimeoutMs': KEEP_ALIVE_MS,
    'server.maxConnections': MAX_CONNECTIONS,
  });
});
afterAll(async () => {
  await t?.close();
});

interface Client {
  readonly socket: tls.TLSSocket;
  /** Resolves with the ms from `since()` until the server closed the connection. */
  readonly closed: Promise<number>;
  received: string;
  since(): void;
}

/** A raw TLS connection; `secure` resolves once the handshake is done (rejects if the server drops it first). */
function connect(): Promise<Client> {
  const url = new URL(t.registry.url);
  return new Promise((resolve, reject) => {
    let start = Date.now();
    let closedResolve: (ms: number) => void = () => undefined;
    const closed = new Promise<number>((r) => (closedResolve = r));
    const socket = tls.connect({ host: url.hostname, port: Number(url.port), ca: t.registry.caPem, servername: 'localhost' });
    const client: Client = { socket, closed, received: '', since: () => (start = Date.now()) };
    socket.on('data', (c: Buffer) => (client.received += c.toString()));
    socket.on('error', (error) => reject(error));
    socket.on('close', () => {
      closedResolve(Date.now() - start);
      reject(new Error('closed before the handshake'));
    });
    socket.once('secureConnect', () => resolve(client));
  });
}

const WSDL_GET = '/VaccinnetUPL/wupl/VaccinationService-2_1?wsdl';

describe('server timeouts and the connection cap', () => {
  it('cuts off a client that sends its headers too slowly (server.headersTimeoutMs)', async () => {
    const c = await connect();
    c.since();
    c.socket.write('POST /VaccinnetUPL/wupl/VaccinationService-2_1 HTTP/1.1\r\nHost: localhost\r\n');
    const trickle = setInterval(() => c.socket.writable && c.socket.write('X'), 100);
    const ms = await c.closed;
    clearInterval(trickle);
    expect(ms).toBeGreaterThanOrEqual(HEADERS_MS - 50);
    expect(ms).toBeLessThan(HEADERS_MS + 2000);
  });

  it('cuts off a 2 MB body sent at 1 KB per 100 ms (server.requestTimeoutMs), long before it is complete', async () => {
    const c = await connect();
    c.since();
    c.socket.write('POST /VaccinnetUPL/wupl/UPLVaccinatieGegevens HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\nContent-Length: 2097152\r\n\r\n');
    let sent = 0;
    const trickle = setInterval(() => {
      if (!c.socket.writable) return;
      c.socket.write(Buffer.alloc(1024, 0x20));
      sent += 1024;
    }, 100);
    const ms = await c.closed;
    clearInterval(trickle);
    expect(ms).toBeGreaterThanOrEqual(REQUEST_MS - 50);
    expect(ms).toBeLessThan(REQUEST_MS + 2000);
    expect(sent).toBeLessThan(64 * 1024);
    expect(c.received).toMatch(/^HTTP\/1.1 408/);
    // Logged as the server's cut-off, not as the client's abort.
    for (let i = 0; i < 40 && !t.lines.some((l) => String(l.msg).startsWith('request cut off')); i++) await new Promise((r) => setTimeout(r, 50));
    expect(t.lines.filter((l) => String(l.msg).startsWith('request cut off'))).toEqual([
      expect.objectContaining({ level: 30, url: '/VaccinnetUPL/wupl/UPLVaccinatieGegevens' }),
    ]);
  });

  it('closes an idle keep-alive connection after server.keepAliveTimeoutMs', async () => {
    const c = await connect();
    c.socket.write(`GET ${WSDL_GET} HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n`);
    for (let i = 0; i < 100 && !c.received.includes('</wsdl:definitions>') && !c.received.includes('definitions>'); i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(c.received).toMatch(/^HTTP\/1.1 200/);
    c.since();
    const ms = await c.closed;
    expect(ms).toBeGreaterThanOrEqual(KEEP_ALIVE_MS - 100);
    expect(ms).toBeLessThan(KEEP_ALIVE_MS + 2000);
  });

  it(`accepts at most server.maxConnections (${MAX_CONNECTIONS}) connections; one more is closed at once`, async () => {
    const open = await Promise.all(Array.from({ length: MAX_CONNECTIONS }, () => connect()));
    // Keep them busy (not idle) so no timeout frees a slot during the test.
    for (const c of open) c.socket.write('GET / HTTP/1.1\r\n');
    await expect(connect()).rejects.toThrow();
    expect(await fetch(t.registry.metricsUrl!).then((r) => r.text())).toContain('vaccinnet_connections_dropped_total 1');
    open[0]!.socket.destroy();
    await open[0]!.closed;
    await new Promise((r) => setTimeout(r, 50));
    const again = await connect();
    again.socket.destroy();
    for (const c of open) c.socket.destroy();
  });
});
