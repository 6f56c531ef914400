import { beforeAll, describe, expect, it } from 'vitest';
import { createSaxesEventReader } from './saxes-event-reader.js';
import { makeTestCredentials } from './testing/test-credentials.js';
import { buildVectors } from './testing/ws-security-vectors.js';
import { createScannerEventReader } from './scanner-event-reader.js';
import { XmlReadError, type XmlEventHandlers, type XmlEventReader } from './xml-events.js';

type Factory = (h: XmlEventHandlers) => XmlEventReader;

/** The event stream as text; adjacent text events merged (readers may split text differently). */
function events(factory: Factory, xml: string, chunk = Infinity): string {
  const out: string[] = [];
  const push = (s: string): void => {
    const last = out[out.length - 1];
    if (s.startsWith('T:') && last?.startsWith('T:') === true) out[out.length - 1] = last + s.slice(2);
    else out.push(s);
  };
  let depth = 0;
  const r = factory({
    open: (el) => {
      depth += 1;
      push(`O:${JSON.stringify(el)}`);
    },
    close: () => {
      depth -= 1;
      push('C');
    },
    // Whitespace outside the root: saxes reports it, the scanner drops it; neither matters to C14N of an element.
    text: (t) => {
      if (depth > 0) push(`T:${t}`);
    },
    processingInstruction: (t, b) => push(`P:${t}|${b}`),
  });
  for (let i = 0; i < xml.length; i += chunk) r.write(xml.slice(i, i + chunk));
  r.end();
  return out.filter((e) => e !== 'T:').join('\n');
}

function refuses(factory: Factory, xml: string): boolean {
  try {
    events(factory, xml);
    return false;
  } catch {
    return true;
  }
}

const WELL_FORMED = [
  '<?xml version="1.0" encoding="UTF-8"?>\n<a xmlns="urn:a" xmlns:b="urn:b"><b:c x="1" b:y="&lt;&quot;&#xD;&#9;" a="2">t&amp;&gt;\r\n<d/></b:c><e xmlns=""/></a>\n',
  '<a>\r\nx\ry\r\n<![CDATA[ <raw> & \r\n ]]><?pi  body  ?><!-- c --></a>',
  '<a x=\'single "q"\' y="tab\there\r\nnl">&#x1F600;&#233;</a>',
  '<p:a xmlns:p="urn:p" p:x="1" xml:lang="nl"><p:b xmlns:p="urn:p2" p:x="2"/></p:a>',
  '\uFEFF<a b = "1" >x</a >',
  `<a x='>"' y="'>'" \t\r\n><b c="1"\n/></a>`,
  "<?xml version='1.0' encoding='utf-8' standalone='yes' ?><a/>",
  '<p:a xmlns:p="urn:p"><b></b ><p:c></p:c\n><d xmlns:p="urn:q"><p:e/></d><p:f/></p:a>',
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
  '<!DOCTYPE a><a/>',
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
  '<a x="1" <b/></a>',
  '<a x="1></a>',
  "<a x='1/>",
  '<a b="1" xmlns:p="urn:p" p:c="2" p:c="3"/>',
  `<?xml ve'sion="1.0"?><a/>`,
  '<?xml?><a/>',
  '<?xml version="2.0"?><a/>',
  '<?xml version="1.0" standalone="maybe"?><a/>',
  '<?xml encoding="UTF-8" version="1.0"?><a/>',
  '<ab></a>',
  '<a></ab>',
  '<a><b></a></b>',
  '<p:a xmlns:p="urn:p"><b xmlns:p="urn:q"/><p:c/><q:d/></p:a>',
];

describe("the one XML tokenizer through the signature path's adapter, against saxes", () => {
  let signed: string[] = [];
  beforeAll(async () => {
    signed = buildVectors(await makeTestCredentials()).map((v) => v.xml);
  });

  it.each(WELL_FORMED)('reports the same events as saxes for %j', (xml) => {
    const reference = events(createSaxesEventReader, xml);
    expect(events(createScannerEventReader, xml)).toBe(reference);
    for (const chunk of [1, 3, 17]) expect(events(createScannerEventReader, xml, chunk)).toBe(reference);
  });

  it('reports the same events as saxes on every signed test vector, in any chunking', () => {
    for (const xml of signed) {
      const reference = events(createSaxesEventReader, xml);
      for (const chunk of [Infinity, 1, 5, 1000]) expect(events(createScannerEventReader, xml, chunk)).toBe(reference);
    }
  });

  it.each(MALFORMED)('refuses %j like saxes does', (xml) => {
    expect([refuses(createScannerEventReader, xml), refuses(createSaxesEventReader, xml)]).toEqual([true, true]);
  });
});

describe("the adapter's own rules", () => {
  /** The kind of XmlReadError `xml` is refused with, or 'accepted'. */
  function kind(xml: string): string {
    const reader = createScannerEventReader({ open() {}, close() {}, text() {}, processingInstruction() {} });
    try {
      reader.write(xml);
      reader.end();
      return 'accepted';
    } catch (err) {
      if (!(err instanceof XmlReadError)) throw err;
      return `${err.kind}: ${err.message}`;
    }
  }

  it('reads UTF-8 only: another declared encoding is refused (the KMEHR reader also takes UTF-16)', () => {
    expect(kind('<?xml version="1.0" encoding="utf8"?><a/>')).toBe('accepted');
    expect(kind('<?xml version="1.0" encoding="UTF-8"?><a/>')).toBe('accepted');
    expect(kind('<?xml version="1.0" encoding="ISO-8859-1"?><a/>')).toBe('malformed: unsupported encoding ISO-8859-1');
    expect(kind('<?xml version="1.0" encoding="UTF-16"?><!-- c --><a/>')).toBe('malformed: unsupported encoding UTF-16');
  });

  it("turns the tokenizer's refusals into the signature path's kinds", () => {
    expect(kind('<!DOCTYPE a SYSTEM "file:///etc/passwd"><a/>')).toBe('doctype: a DOCTYPE is not allowed');
    expect(kind(`${'<a>'.repeat(257)}${'</a>'.repeat(257)}`)).toBe('too-deep: elements nested deeper than 256');
    expect(kind('<a><b></a>')).toMatch(/^malformed: /);
  });

  it('gives the offset of the markup each event comes from, and of the construct it refused', () => {
    const xml = '<s:E xmlns:s="urn:s">\n  <s:B a="1">x</s:B>\n  <s:B a="1"a="2"/></s:E>';
    const offsets: number[] = [];
    const reader: XmlEventReader = createScannerEventReader({
      open: () => void offsets.push(reader.offset),
      close: () => void offsets.push(reader.offset),
      text: () => void offsets.push(reader.offset),
      processingInstruction() {},
    });
    expect(() => reader.write(xml)).toThrow(XmlReadError);
    const at = (s: string, from = 0): number => xml.indexOf(s, from);
    expect(offsets).toEqual([0, at('\n'), at('<s:B'), at('x<'), at('</s:B'), at('</s:B') + 6]);
    expect(reader.offset).toBe(at('<s:B', at('</s:B')));
  });
});
