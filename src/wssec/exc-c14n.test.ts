import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { ExclusiveCanonicalization } from 'xml-crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalizeXml } from './canonicalize-xml.js';
import { ExcC14nWriter } from './exc-c14n.js';
import { createXmlEventReader } from './xml-event-reader.js';

/** Inputs covering namespaces, default namespaces, attributes, escaping, CR/LF and whitespace. */
const VECTORS: readonly string[] = [
  '<a/>',
  '<a xmlns="urn:a"><b/><c xmlns=""><d xmlns="urn:d"/></c></a>',
  '<p:a xmlns:p="urn:p" xmlns:q="urn:q" xmlns:unused="urn:u"><p:b q:x="1" y="2"/><q:c/></p:a>',
  '<a xmlns:p="urn:p"><b xmlns:p="urn:p2"><p:c/></b><p:d/></a>',
  '<a z="1" b="2" xmlns:y="urn:y" xmlns:x="urn:x" y:k="3" x:k="4" a="5"/>',
  '<a attr="&lt;&amp;&quot;&gt;&apos;&#9;&#10;&#13;">&lt;&amp;&gt;&quot;&apos;&#13;</a>',
  '<a>line1\r\nline2\rline3\nend</a>',
  '<a\r\n  x="multi\r\nline\tvalue"   y = \'single\' >  spaced   text  </a>',
  '<a><![CDATA[<not-a-tag> & stuff ]]>tail</a>',
  '<a>caf\u00e9 \u20ac \ud83d\ude00 \u4e2d</a>',
  '<a xml:lang="nl" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="t"><b xml:space="preserve"> </b></a>',
  '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header/><s:Body><m:op xmlns:m="urn:m"><m:v>1</m:v></m:op></s:Body></s:Envelope>',
  '<a xmlns="urn:default" xmlns:d="urn:default"><d:b/><b d:at="v"/></a>',
  '<a>\n  <b>\n    <c>x</c>\n  </b>\n</a>',
  '<a xmlns:p="urn:p" p:attr="x"><b xmlns:p="urn:p" p:attr="y"/></a>',
];

function domCanonical(xml: string, select: (e: Element) => boolean, prefixes: string[] = []): string {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const all = Array.from(doc.getElementsByTagName('*') as unknown as Iterable<Element>);
  const el = all.find(select) as Element;
  const ancestorNamespaces: { prefix: string; namespaceURI: string }[] = [];
  for (let p = el.parentNode as Element | null; p !== null && p.nodeType === 1; p = p.parentNode as Element | null) {
    for (const a of Array.from(p.attributes)) {
      const prefix = a.name === 'xmlns' ? '' : a.name.startsWith('xmlns:') ? a.name.slice(6) : undefined;
      if (prefix !== undefined && prefix !== '' && !ancestorNamespaces.some((n) => n.prefix === prefix)) {
        ancestorNamespaces.push({ prefix, namespaceURI: a.value });
      }
    }
  }
  return new ExclusiveCanonicalization().process(el as never, {
    inclusiveNamespacesPrefixList: prefixes,
    ancestorNamespaces,
  }) as string;
}

const dir = mkdtempSync(join(tmpdir(), 'exc-c14n-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function xmllintCanonical(xml: string): string {
  const file = join(dir, 'in.xml');
  writeFileSync(file, xml);
  return execFileSync('xmllint', ['--exc-c14n', file], { encoding: 'utf8' });
}

describe('exclusive C14N', () => {
  it.each(VECTORS)('matches xml-crypto on %s', (xml) => {
    expect(canonicalizeXml(xml)).toBe(domCanonical(xml, (e) => e.parentNode?.nodeType === 9));
  });

  it.each(VECTORS)('matches libxml2 (xmllint --exc-c14n) on %s', (xml) => {
    expect(canonicalizeXml(xml)).toBe(xmllintCanonical(xml));
  });

  it('renders namespaces only where visibly utilised, with exact expected output', () => {
    const xml = '<r xmlns:a="urn:a" xmlns:b="urn:b" xmlns="urn:d"><a:x b:y="1"><z/></a:x></r>';
    expect(canonicalizeXml(xml, { select: (el) => el.local === 'x' })).toBe('<a:x xmlns:a="urn:a" xmlns:b="urn:b" b:y="1"><z xmlns="urn:d"></z></a:x>');
  });

  it('honours the InclusiveNamespaces PrefixList for prefixes declared on ancestors (as xml-crypto does)', () => {
    const xml = '<r xmlns:a="urn:a" xmlns:b="urn:b" xmlns:c="urn:c"><a:x><y/></a:x></r>';
    const ours = canonicalizeXml(xml, { select: (el) => el.local === 'x', inclusivePrefixes: ['b', 'c'] });
    expect(ours).toBe('<a:x xmlns:a="urn:a" xmlns:b="urn:b" xmlns:c="urn:c"><y></y></a:x>');
    expect(ours).toBe(domCanonical(xml, (e) => e.localName === 'x', ['b', 'c']));
  });

  it('renders #default in the PrefixList', () => {
    const xml = '<r xmlns="urn:d" xmlns:a="urn:a"><a:x/></r>';
    expect(canonicalizeXml(xml, { select: (el) => el.local === 'x', inclusivePrefixes: ['#default'] })).toBe('<a:x xmlns="urn:d" xmlns:a="urn:a"></a:x>');
  });

  it('drops comments, keeps processing instructions (libxml2 form)', () => {
    expect(canonicalizeXml('<a><!-- gone --><?pi  data ?><b/></a>')).toBe('<a><?pi data ?><b></b></a>');
  });

  it('gives the same bytes when the input is streamed one character at a time', () => {
    for (const xml of VECTORS) {
      const parts: string[] = [];
      const writer = new ExcC14nWriter((s) => parts.push(s));
      const reader = createXmlEventReader({
        open: (el) => writer.startElement(el),
        close: () => writer.endElement(),
        text: (t) => {
          if (writer.depth > 0) writer.text(t);
        },
        processingInstruction: (t, b) => writer.processingInstruction(t, b),
      });
      for (const ch of xml) reader.write(ch);
      reader.end();
      expect(parts.join('')).toBe(canonicalizeXml(xml));
    }
  });
});
