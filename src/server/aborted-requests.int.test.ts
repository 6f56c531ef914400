import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistryWithLog, type RegistryWithLog } from './testing/registry-with-log.js';

let t: RegistryWithLog;

beforeAll(async () => {
  t = await startRegistryWithLog();
});
afterAll(async () => {
  await t?.close();
});

/** Sends the start of a 100 KB body, then closes (`abort`) or resets (`reset`, a TCP RST) the connection. */
function abortMidBody(path: string, how: 'abort' | 'reset'): Promise<void> {
  return new Promise((resolve) => {
    const url = new URL(t.registry.url);
    // Raw HTTP over TLS over a TCP socket of our own, so a reset can be a real TCP RST.
    const tcp = net.connect(Number(url.port), url.hostname);
    const socket = tls.connect({ socket: tcp, ca: t.registry.caPem, servername: 'localhost' }, () => {
      socket.write(`POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\nContent-Length: 100000\r\n\r\n`);
      socket.write('<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header>');
      setTimeout(() => (how === 'reset' ? tcp.resetAndDestroy() : socket.destroy()), 150);
    });
    socket.on('error', () => undefined);
    tcp.on('close', () => resolve());
  });
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
}

describe('requests aborted or reset mid-body', () => {
  it('are logged once each at info, without a stack, and counted; nothing at warn or error', async () => {
    const from = t.lines.length;
    const paths = ['/VaccinnetUPL/wupl/VaccinationService-2_1', '/VaccinnetUPL/wupl/UPLVaccinatieGegevens'];
    for (const path of paths) {
      for (const how of ['abort', 'reset', 'abort'] as const) await abortMidBody(path, how);
    }
    const aborted = (): typeof t.lines => t.lines.slice(from).filter((l) => l.msg === 'request aborted by the client');
    await until(() => aborted().length >= 6);
    const lines = t.lines.slice(from);
    expect(aborted()).toHaveLength(6);
    expect(aborted().every((l) => l.level === 30 && l.err === undefined)).toBe(true);
    expect(lines.filter((l) => l.level >= 40)).toEqual([]);
    expect(JSON.stringify(lines)).not.toContain('stack');
    expect(await fetch(t.registry.metricsUrl!).then((r) => r.text())).toContain('vaccinnet_requests_aborted_total{reason="client"} 6');
  });
});
