import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { batchMessage } from '../generate-batch.js';
import { FastXmlScanner, XmlSyntaxError } from './fast-xml-scanner.js';

// saxes is the yardstick: the scanner must accept exactly what saxes accepts and report the same elements,
// attributes and text (namespace declarations aside, which the reader does not use).

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const samples = path.resolve(repoRoot, '../shared/kmehr/samples');

/** saxes' verdict: the event list, or 'refused'. */
function saxesEvents(xml: string): string {
  const out: string[] = [];
  let depth = 0;
  let text = '';
  const flush = (): void => {
    if (text !== '') out.push(`T:${text}`);
    text = '';
  };
  const parser = new SaxesParser({ xmlns: true, position: true });
  parser.on('opentag', (tag) => {
    flush();
    depth++;
    const attributes: string[] = [];
    for (const [name, a] of Object.entries(tag.attributes)) if (name !== 'xmlns' && !name.startsWith('xmlns:')) attributes.push(name, a.value);
    out.push(`O:{${tag.uri}}${tag.local} ${JSON.stringify(attributes)}`);
  });
  parser.on('closetag', () => {
    flush();
    depth--;
    out.push('C');
  });
  parser.on('text', (t) => {
    if (depth > 0) text += t;
  });
  parser.on('cdata', (t) => {
    text += t;
  });
  parser.on('doctype', (d) => out.push(`D:${d.length > 0}`));
  let failed = false;
  parser.on('error', () => {
    failed = true;
  });
  try {
    parser.write(xml);
    parser.close();
  } catch {
    failed = true;
  }
  if (failed || out.length === 0) return 'refused';
  return out.join('\n');
}

/** The scanner's verdict on `xml` fed in pieces of `chunk` characters. */
function scannerEvents(xml: string, chunk = Infinity): string {
  const out: string[] = [];
  let text = '';
  const flush = (): void => {
    if (text !== '') out.push(`T:${text}`);
    text = '';
  };
  const scanner = new FastXmlScanner({
    open: (uri, local, attributes) => {
      flush();
      out.push(`O:{${uri}}${local} ${JSON.stringify(attributes)}`);
    },
    close: () => {
      flush();
      out.push('C');
    },
    text: (source, start, end) => {
      text += source.slice(start, end);
    },
    doctype: (d) => out.push(`D:${d.length > 0}`),
  });
  try {
    for (let i = 0; i < xml.length; i += chunk) scanner.write(xml.slice(i, i + chunk));
    scanner.end();
  } catch (err) {
    if (err instanceof XmlSyntaxError) return 'refused';
    throw err;
  }
  return out.join('\n');
}

const WELL_FORMED = [
  '<?xml version="1.0" encoding="UTF-8"?>\n<a xmlns="urn:a" xmlns:b="urn:b"><b:c x="1" b:y="&lt;&quot;&#xD;&#9;" a="2">t&amp;&gt;\r\n<d/></b:c><e xmlns=""/></a>\n',
  '<a>\r\nx\ry\r\n<![CDATA[ <raw> & \r\n ]]><?pi  body  ?><!-- c --></a>',
  '<a x=\'single "q"\' y="tab\there\r\nnl">&#x1F600;&#233;</a>',
  '<p:a xmlns:p="urn:p" p:x="1" xml:lang="nl"><p:b xmlns:p="urn:p2" p:x="2"/></p:a>',
  '\uFEFF<a b = "1" >x</a >',
  '<?xml version="1.0"?>\n<!-- before --><?pi x?>\n<a>é 😀 <![CDATA[]]>]]&gt;</a>\n<!-- after -->\n<?after?>\n',
  "<?xml version='1.0' encoding='utf-8' standalone='yes'?><a/>",
  '<a\n  b="1"\r\n  c="x&#10;y\r\nz"></a>',
  '<élément attribut="valeur">texte</élément>',
  '<a><b></b><b/><!----></a>',
  '<a>&#x10FFFF;&#65;</a>',
  batchMessage(3),
];

const MALFORMED = [
  '<a>',
  '<a></b>',
  '<a b="1" b="2"/>',
  '<a x:b="1"/>',
  '<x:a/>',
  '<a>&unknown;</a>',
  '<a>& </a>',
  '<a b="<"/>',
  '<a/><b/>',
  'text<a/>',
  '<a/>text',
  '<a b=1/>',
  '<a xmlns:p=""/>',
  '<a>]]></a>',
  '<a>\u0001</a>',
  '<a>&#0;</a>',
  '<a p:x="1" xmlns:p="urn:p" xmlns:q="urn:p" q:x="2"/>',
  ' <?xml version="1.0"?><a/>',
  '<a><!-- a -- b --></a>',
  '<a b="1"c="2"/>',
  '',
  '<a',
  '<a><!-- x ---></a>',
  '<a>&#xD800;</a>',
  '<a>\uD800</a>',
  '<a b="\u0002"/>',
  '<1a/>',
  '<a 1b="x"/>',
  '<a:/>',
  '<:a/>',
  '<a xmlns:xmlns="urn:x"/>',
  '<a xmlns:p="http://www.w3.org/XML/1998/namespace"/>',
  '<a xmlns:xml="urn:x"/>',
  '<xmlns:a xmlns:xmlns="urn:x"/>',
  '<a:b:c xmlns:a="urn:a"/>',
  '<a><?xml version="1.0"?></a>',
  '<?xml version="2.0"?><a/>',
  '<?xml encoding="UTF-8"?><a/>',
  '<?xml version="1.0" standalone="maybe"?><a/>',
  '<a>&#;</a>',
  '<a>&#x;</a>',
  '<a>&#12a;</a>',
  '<a>&lt</a>',
  '<a b="&lt"/>',
  '<a b="&foo;"/>',
  '<a></a >x',
  '<![CDATA[x]]><a/>',
  '<a/><![CDATA[x]]>',
  '<a><!DOCTYPE x></a>',
  '<a><!ELEMENT x></a>',
  '<a></ a>',
  '<a/ >',
  '<a b="1"/ >',
  '<a b ="1" b= "2"/>',
  '<?pi?><?xml version="1.0"?><a/>',
  '<a>\uFFFE</a>',
  '<a><?a:b x?></a>',
  '<a xmlns:p="urn:p" xmlns:p="urn:q"/>',
  '<a xmlns="urn:a" xmlns="urn:b"/>',
];

/** libxml2's verdict through Debian xmllint. */
function xmllintAccepts(xml: string): boolean {
  return spawnSync('xmllint', ['--noout', '--nonet', '-'], { input: xml }).status === 0;
}

// saxes accepts these; the XML spec and libxml2 do not, and neither does the scanner.
const STRICTER_THAN_SAXES = ['<?xm?l version="1.0"?><a/>', '<a><?pi?x?></a>'];

describe('FastXmlScanner against saxes', () => {
  it.each(STRICTER_THAN_SAXES.map((x) => [x]))('refuses %j, which saxes lets through but libxml2 refuses', (xml) => {
    expect(saxesEvents(xml)).not.toBe('refused');
    expect(xmllintAccepts(xml)).toBe(false);
    expect(scannerEvents(xml)).toBe('refused');
  });

  it.each(WELL_FORMED.map((x) => [x.length > 80 ? `${x.slice(0, 80)}…` : x, x]))('reports what saxes reports for %j, in any chunking', (_name, xml) => {
    const reference = saxesEvents(xml);
    expect(reference).not.toBe('refused');
    for (const chunk of [Infinity, 1, 2, 3, 17]) expect(scannerEvents(xml, chunk)).toBe(reference);
  });

  it.each(MALFORMED.map((x) => [x]))('refuses %j like saxes, in any chunking', (xml) => {
    expect(saxesEvents(xml)).toBe('refused');
    for (const chunk of [Infinity, 1, 3]) expect(scannerEvents(xml, chunk)).toBe('refused');
  });

  it('agrees with saxes on every KMEHR sample and on thousands of single-character mutations of them', () => {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(dir, e.name));
        else if (e.name.endsWith('.xml')) files.push(path.join(dir, e.name));
      }
    };
    walk(samples);
    expect(files.length).toBeGreaterThan(5);
    const texts = files.map((f) => readFileSync(f, 'utf8'));
    for (const xml of texts) expect(scannerEvents(xml, 4096)).toBe(saxesEvents(xml));
    // Mutations: insert, delete or replace one character at a random place by markup-significant characters.
    const pieces = [
      '<',
      '>',
      '&',
      '"',
      "'",
      '/',
      '=',
      ':',
      ' ',
      '\r',
      '!',
      '?',
      '-',
      ']',
      '[',
      'x',
      '\u0001',
      '&#0;',
      '&amp;',
      '<!--',
      ']]>',
      'xmlns:q="urn:q" ',
      'q:',
    ];
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let refused = 0;
    const mismatches: string[] = [];
    const small = texts.filter((t) => t.length < 20_000);
    for (let k = 0; k < 4000; k++) {
      const base = small[random(small.length)]!;
      const at = random(base.length);
      const op = random(3);
      const piece = pieces[random(pieces.length)]!;
      const xml =
        op === 0
          ? base.slice(0, at) + piece + base.slice(at)
          : op === 1
            ? base.slice(0, at) + base.slice(at + 1)
            : base.slice(0, at) + piece + base.slice(at + 1);
      const reference = saxesEvents(xml);
      if (reference === 'refused') refused++;
      const got = scannerEvents(xml, 1 + random(50));
      // Stricter than saxes is fine where the XML spec and libxml2 (the XSD path's parser) refuse too.
      if (got === 'refused' && reference !== 'refused' && !xmllintAccepts(xml)) continue;
      if (got !== reference)
        mismatches.push(
          `${reference === 'refused' ? 'saxes refused' : got === 'refused' ? 'scanner refused' : 'events differ'}: ${JSON.stringify(xml.slice(Math.max(0, at - 30), at + 30))}`,
        );
    }
    expect(mismatches).toEqual([]);
    expect(refused).toBeGreaterThan(300); // the corpus does exercise refusals
  });

  it('stays linear when a huge tag or comment arrives in tiny chunks', () => {
    const value = 'x>'.repeat(500_000); // 1 MB of attribute value full of '>'
    for (const xml of [`<a b="${value}" c="${value}"/>`, `<a><!-- ${'- '.repeat(500_000)} --></a>`, `<a>${'t'.repeat(1_000_000)}</a>`]) {
      let events = 0;
      const scanner = new FastXmlScanner({ open: () => void events++, close: () => void events++, text() {}, doctype() {} });
      const started = performance.now();
      for (let i = 0; i < xml.length; i += 16) scanner.write(xml.slice(i, i + 16));
      scanner.end();
      expect(events).toBe(2);
      expect(performance.now() - started).toBeLessThan(3000); // quadratic re-scanning would take minutes
    }
  });
});
