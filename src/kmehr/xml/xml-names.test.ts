import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { createScannerEventReader } from '../../wssec/scanner-event-reader.js';
import { FastXmlScanner } from './fast-xml-scanner.js';
import { isNcName, isQName, isXmlName } from './xml-names.js';

// saxes implements the XML 1.0 fifth-edition name productions; both of our scanners must agree with it on every
// name below, as element names, attribute names and processing-instruction targets.

const ACCEPTED = [
  'a',
  'A_b',
  '_x',
  'a-b.c9',
  'p:local',
  'élément',
  'Ωmega',
  'naïve·x',
  'ab\u0301c',
  'x\u203Fy',
  'kanji漢字',
  '\u{10000}astral',
  'a\u{EFFFF}',
  'ひらがな',
  'x\u00B7',
  'Z\u0300',
];
const REFUSED = ['1abc', '-a', '.a', '\u00B7a', '\u0300a', 'a\u00D7b', 'a\u00F7b', 'a\u037Eb', 'a\u2000b', '\u203Fa', 'a\u{F0000}', 'a\uE000', '\u00D7'];
// Names XML 1.0 allows but Namespaces in XML does not (a local part must be an NCName): saxes does not check that
// constraint, both our scanners refuse them — the one place we are stricter than saxes, on purpose.
const NOT_QNAMES = ['a:1b', 'p:-x', 'p:\u00B7x'];

/** Whether saxes (namespace-aware) accepts `xml`. */
function saxesAccepts(xml: string): boolean {
  const parser = new SaxesParser({ xmlns: true });
  let ok = true;
  parser.on('error', () => {
    ok = false;
  });
  try {
    parser.write(xml).close();
  } catch {
    ok = false;
  }
  return ok;
}

function kmehrScannerAccepts(xml: string): boolean {
  const scanner = new FastXmlScanner({ open: () => {}, close: () => {}, text: () => {}, doctype: () => {} });
  try {
    scanner.write(xml);
    scanner.end();
    return true;
  } catch {
    return false;
  }
}

function wssecScannerAccepts(xml: string): boolean {
  const scanner = createScannerEventReader({ open: () => {}, close: () => {}, text: () => {}, processingInstruction: () => {} });
  try {
    scanner.write(xml);
    scanner.end();
    return true;
  } catch {
    return false;
  }
}

/** The documents a name appears in; a prefixed name gets its prefix bound. */
function documents(name: string): Record<string, string> {
  const bind = name.includes(':') ? ` xmlns:${name.slice(0, name.indexOf(':'))}="urn:p"` : '';
  return {
    element: `<${name}${bind}/>`,
    'end tag': `<${name}${bind}></${name}>`,
    attribute: `<r${bind} ${name}="1"/>`,
    ...(!name.includes(':') && { 'PI target': `<r><?${name} x?></r>` }),
  };
}

describe('XML names (XML 1.0 5th ed. §2.3, Namespaces in XML), in agreement with saxes', () => {
  it.each([...ACCEPTED.map((n) => [n, true] as const), ...REFUSED.map((n) => [n, false] as const)])(
    '%s → accepted %s by saxes and by both scanners',
    (name, accepted) => {
      expect(isQName(name)).toBe(accepted);
      for (const [where, xml] of Object.entries(documents(name))) {
        expect(saxesAccepts(xml), `saxes, ${where}`).toBe(accepted);
        expect(kmehrScannerAccepts(xml), `KMEHR scanner, ${where}`).toBe(accepted);
        expect(wssecScannerAccepts(xml), `WS-Security scanner, ${where}`).toBe(accepted);
      }
    },
  );

  it.each(NOT_QNAMES)('%s → a Name saxes accepts, refused by both scanners as no QName', (name) => {
    expect(isXmlName(name)).toBe(true);
    expect(isQName(name)).toBe(false);
    for (const [where, xml] of Object.entries(documents(name))) {
      expect(saxesAccepts(xml), `saxes, ${where}`).toBe(true);
      expect(kmehrScannerAccepts(xml), `KMEHR scanner, ${where}`).toBe(false);
      expect(wssecScannerAccepts(xml), `WS-Security scanner, ${where}`).toBe(false);
    }
  });

  it('separates Name, NCName and QName', () => {
    expect(isXmlName(':a:b:')).toBe(true);
    expect(isNcName('a:b')).toBe(false);
    expect(isQName('a:b:c')).toBe(false);
    expect(isQName(':a')).toBe(false);
    expect(isQName('a:')).toBe(false);
    expect([isXmlName(''), isNcName(''), isQName('')]).toEqual([false, false, false]);
  });
});
