import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as soap from 'soap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCredentials, type TestCredentials } from './testing/test-credentials.js';
import { verifyWsSecurity, type WsSecurityResult } from './verify-ws-security.js';

const WSDL = `<?xml version="1.0" encoding="UTF-8"?>
<definitions name="Echo" targetNamespace="urn:test:echo" xmlns="http://schemas.xmlsoap.org/wsdl/"
  xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:tns="urn:test:echo" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <types><xsd:schema targetNamespace="urn:test:echo" elementFormDefault="qualified">
    <xsd:element name="EchoRequest"><xsd:complexType><xsd:sequence>
      <xsd:element name="Text" type="xsd:string"/><xsd:element name="Count" type="xsd:int"/>
    </xsd:sequence></xsd:complexType></xsd:element>
    <xsd:element name="EchoResponse"><xsd:complexType><xsd:sequence>
      <xsd:element name="Text" type="xsd:string"/>
    </xsd:sequence></xsd:complexType></xsd:element>
  </xsd:schema></types>
  <message name="EchoIn"><part name="body" element="tns:EchoRequest"/></message>
  <message name="EchoOut"><part name="body" element="tns:EchoResponse"/></message>
  <portType name="EchoPort"><operation name="Echo"><input message="tns:EchoIn"/><output message="tns:EchoOut"/></operation></portType>
  <binding name="EchoBinding" type="tns:EchoPort">
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="Echo"><soap:operation soapAction="urn:test:echo:Echo"/>
      <input><soap:body use="literal"/></input><output><soap:body use="literal"/></output></operation>
  </binding>
  <service name="EchoService"><port name="EchoPort" binding="tns:EchoBinding"><soap:address location="http://localhost/echo"/></port></service>
</definitions>`;

const RESPONSE =
  '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' +
  '<EchoResponse xmlns="urn:test:echo"><Text>ok</Text></EchoResponse></soap:Body></soap:Envelope>';

const dir = mkdtempSync(join(tmpdir(), 'wssec-soap-'));
const received: string[] = [];
let server: Server;
let url: string;
let creds: TestCredentials;

beforeAll(async () => {
  creds = await makeTestCredentials('soap package client');
  writeFileSync(join(dir, 'echo.wsdl'), WSDL);
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end(RESPONSE);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/echo`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** Sends one Echo call signed by the soap package's WSSecurityCert and returns what reached the wire. */
async function signedBySoapPackage(options: ConstructorParameters<typeof soap.WSSecurityCert>[3]): Promise<string> {
  const client = await soap.createClientAsync(join(dir, 'echo.wsdl'), { endpoint: url });
  client.setSecurity(new soap.WSSecurityCert(creds.privateKeyPem, creds.certificatePem, '', options));
  const before = received.length;
  const [result] = (await client.EchoAsync({ Text: 'Caf\u00e9 <&> "quoted"', Count: 3 })) as [{ Text: string }];
  expect(result.Text).toBe('ok');
  expect(received.length).toBe(before + 1);
  return received[received.length - 1] as string;
}

function outcome(r: WsSecurityResult): string {
  return r.ok ? `ok ${r.signedIds.length}` : `${r.finding.code} ${r.finding.message}`;
}

describe('the soap npm package (WSSecurityCert) as an independent signer', () => {
  it('default options (RSA-SHA256, SHA-256, unqualified Id attributes): we verify it', async () => {
    const wire = await signedBySoapPackage({});
    expect(wire).toContain('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
    expect(outcome(verifyWsSecurity(wire, { now: new Date() }))).toBe('ok 2');
  });

  it('wsu:Id mode with RSA-SHA256 named explicitly: we verify it', async () => {
    const wire = await signedBySoapPackage({
      signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      signerOptions: { idMode: 'wssecurity' },
    });
    expect(wire).toContain('wsu:Id=');
    expect(outcome(verifyWsSecurity(wire, { now: new Date() }))).toBe('ok 2');
  });

  it('a tampered soap-package request is refused', async () => {
    const wire = await signedBySoapPackage({});
    const r = verifyWsSecurity(wire.replace('<Count>3</Count>', '<Count>4</Count>'), { now: new Date() });
    expect(r.ok ? 'ok' : r.finding.code).toBe('AUTH_BODY_TAMPERED');
  });

  it('RSA-SHA1 (only if the caller configures it) is refused as unsupported', async () => {
    const wire = await signedBySoapPackage({ signatureAlgorithm: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1' });
    const r = verifyWsSecurity(wire, { now: new Date() });
    expect(r.ok ? 'ok' : `${r.finding.code}: ${String(r.finding.params?.detail)}`).toMatch(/^AUTH_SIGNATURE_INVALID: unsupported signature method/);
  });
});
