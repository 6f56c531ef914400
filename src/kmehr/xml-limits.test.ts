import { describe, expect, it } from 'vitest';
import { KMEHR_NS } from './model.js';
import { DEFAULT_XML_LIMITS, screenXml } from './xml-limits.js';

const ROOT = `<kmehrmessage xmlns="${KMEHR_NS}"/>`;

describe('screenXml', () => {
  it('has the agreed defaults: 10 MiB and 64 levels', () => {
    expect(DEFAULT_XML_LIMITS).toEqual({ maxBytes: 10 * 1024 * 1024, maxDepth: 64 });
  });

  it('passes an ordinary document with declaration, comments and PIs before the root', () => {
    expect(screenXml(`<?xml version="1.0"?>\n<!-- c --><?pi x?>\n${ROOT}`)).toBeUndefined();
    expect(screenXml(Buffer.from(`\ufeff<?xml version="1.0"?>${ROOT}`))).toBeUndefined();
  });

  it('counts bytes, not characters, for the size limit', () => {
    const limits = { maxBytes: 10, maxDepth: 8 };
    expect(screenXml('é'.repeat(5), limits)).toBeUndefined(); // 10 bytes
    expect(screenXml('é'.repeat(6), limits)?.code).toBe('XML_TOO_LARGE'); // 12 bytes, 6 characters
    expect(screenXml(Buffer.alloc(11, 0x20), limits)).toMatchObject({ code: 'XML_TOO_LARGE', params: { limit: 10 } });
  });

  it.each([
    ['plain DOCTYPE', `<!DOCTYPE kmehrmessage>${ROOT}`, 'XML_DOCTYPE_FORBIDDEN'],
    [
      'DOCTYPE after BOM, declaration, whitespace, comment and PI',
      `\ufeff<?xml version="1.0"?>\n  <!-- hello --><?x y?>\n<!DOCTYPE kmehrmessage>${ROOT}`,
      'XML_DOCTYPE_FORBIDDEN',
    ],
    ['lower-case doctype', `<!doctype kmehrmessage>${ROOT}`, 'XML_DOCTYPE_FORBIDDEN'],
    ['external DTD', `<!DOCTYPE kmehrmessage SYSTEM "http://evil.example/k.dtd">${ROOT}`, 'XML_EXTERNAL_ENTITY'],
    ['XXE', `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${ROOT}`, 'XML_EXTERNAL_ENTITY'],
    ['PUBLIC entity', `<!DOCTYPE x [<!ENTITY e PUBLIC "-//x//y" "http://evil.example/e">]>${ROOT}`, 'XML_EXTERNAL_ENTITY'],
    ['external parameter entity', `<!DOCTYPE x [<!ENTITY % p SYSTEM "http://evil.example/p.dtd"> %p;]>${ROOT}`, 'XML_EXTERNAL_ENTITY'],
    ['internal parameter entity', `<!DOCTYPE x [<!ENTITY % p "<!ENTITY e 'x'>"> %p;]>${ROOT}`, 'XML_ENTITY_DECLARATION'],
    ['internal entity', `<!DOCTYPE x [<!ENTITY e "x">]>${ROOT}`, 'XML_ENTITY_DECLARATION'],
    ['quoted ">" and "]" inside the subset', `<!DOCTYPE x [<!ENTITY e "]>">]>${ROOT}`, 'XML_ENTITY_DECLARATION'],
  ])('refuses %s', (_name, xml, code) => {
    expect(screenXml(xml)?.code).toBe(code);
    expect(screenXml(Buffer.from(xml))?.code).toBe(code);
  });

  it('sees a DOCTYPE in UTF-16 bytes too', () => {
    const xml = `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${ROOT}`;
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);
    expect(screenXml(le)?.code).toBe('XML_EXTERNAL_ENTITY');
  });

  it('only scans the prolog: a "<!DOCTYPE" string after the root start is left to the parser', () => {
    // Behaviour, not timing (the cost is the bench's business): a scan past the root start would report this DOCTYPE.
    const big = `${`<kmehrmessage xmlns="${KMEHR_NS}">`}${'<x/>'.repeat(200_000)}<!DOCTYPE y></kmehrmessage>`;
    expect(screenXml(big, { maxBytes: 1e8, maxDepth: 64 })).toBeUndefined();
    expect(screenXml(Buffer.from(big), { maxBytes: 1e8, maxDepth: 64 })).toBeUndefined();
  });
});
