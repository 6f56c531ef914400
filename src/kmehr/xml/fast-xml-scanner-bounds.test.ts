import { describe, expect, it } from 'vitest';
import { SCANNER_LIMITS } from '../xml-limits.js';
import { FastXmlScanner, XmlSyntaxError, type XmlScanHandlers, type XmlScanLimits } from './fast-xml-scanner.js';

// What the tokenizer took over from the WS-Security scanner (issue 12 §2): offsets, processing instructions, text
// reported while it streams, its own depth and construct-size bounds, and the DOCTYPE refused by the tokenizer itself.
// Its well-formedness verdicts are compared with saxes in fast-xml-scanner.test.ts and scanner-event-reader.test.ts.

/** Every event with the scanner's offset at that moment. */
function record(xml: string, chunk = Infinity, limits?: XmlScanLimits): string[] {
  const out: string[] = [];
  const handlers: XmlScanHandlers = {
    open: (_uri, local) => out.push(`O:${local}@${scanner.offset}`),
    close: () => out.push(`C@${scanner.offset}`),
    text: (source, start, end) => out.push(`T:${source.slice(start, end)}@${scanner.offset}`),
    doctype: () => out.push('D'),
    processingInstruction: (target, data) => out.push(`P:${target}|${data}@${scanner.offset}`),
  };
  const scanner = new FastXmlScanner(handlers, limits);
  for (let i = 0; i < xml.length; i += chunk) scanner.write(xml.slice(i, i + chunk));
  scanner.end();
  return out;
}

/** The refusal's kind and detail, or 'accepted'. */
function refusal(xml: string, chunk = Infinity, limits?: XmlScanLimits): string {
  try {
    record(xml, chunk, limits);
    return 'accepted';
  } catch (err) {
    if (!(err instanceof XmlSyntaxError)) throw err;
    return `${err.kind}: ${err.detail}`;
  }
}

/** Adjacent text events merged, offsets dropped: what a reader of the text sees. */
function merged(events: readonly string[]): string[] {
  const out: string[] = [];
  for (const e of events) {
    const plain = e.slice(0, e.lastIndexOf('@'));
    const last = out[out.length - 1];
    if (plain.startsWith('T:') && last?.startsWith('T:') === true) out[out.length - 1] = last + plain.slice(2);
    else out.push(plain);
  }
  return out;
}

describe('the tokenizer: offsets, processing instructions, streamed text, bounds', () => {
  it('gives the offset of the `<` of each tag during open and close, and of the text during text, in any chunking', () => {
    const xml = '\uFEFF<?xml version="1.0"?>\r\n<a x="1">t&amp;u<b/><?pi  some data ?><![CDATA[c]]></a>\n';
    const whole = record(xml);
    expect(whole).toEqual([
      `O:a@${xml.indexOf('<a')}`,
      `T:t&u@${xml.indexOf('t&')}`,
      `O:b@${xml.indexOf('<b')}`,
      `C@${xml.indexOf('<b')}`,
      `P:pi|some data @${xml.indexOf('<?pi')}`,
      `T:c@${xml.indexOf('<![')}`,
      `C@${xml.indexOf('</a')}`,
    ]);
    for (const chunk of [1, 2, 5]) {
      const pieces = record(xml, chunk);
      expect(merged(pieces)).toEqual(merged(whole));
      // Markup events carry the same offsets however the input was cut.
      expect(pieces.filter((e) => !e.startsWith('T:'))).toEqual(whole.filter((e) => !e.startsWith('T:')));
    }
  });

  it('places a refusal at the construct it refuses', () => {
    const xml = '<a>\n  <b c="1"c="2"/></a>';
    const scanner = new FastXmlScanner({ open() {}, close() {}, text() {}, doctype() {} });
    expect(() => scanner.write(xml)).toThrow(XmlSyntaxError);
    expect(scanner.offset).toBe(xml.indexOf('<b'));
  });

  it('reports a long text while it streams, holding back only what the next chunk may complete', () => {
    const texts: string[] = [];
    const scanner = new FastXmlScanner({ open() {}, close() {}, text: (s, a, b) => void texts.push(s.slice(a, b)), doctype() {} });
    scanner.write('<a>');
    scanner.write('x'.repeat(1000));
    expect(texts.join('')).toBe('x'.repeat(1000)); // reported before the text's end has arrived
    for (const [tail, held] of [
      ['y&am', '&am'],
      ['z]]', ']]'],
      ['w\r', '\r'],
      ['v\uD83D', '\uD83D'],
    ] as const) {
      texts.length = 0;
      scanner.write(tail);
      expect(texts.join('')).toBe(tail.slice(0, tail.length - held.length));
      texts.length = 0;
      scanner.write(held === ']]' ? ']' : held === '&am' ? 'p;' : held === '\r' ? '\n' : '\uDE00');
      scanner.write('.');
      expect(texts.join('')).toBe(held === ']]' ? ']]].' : held === '&am' ? '&.' : held === '\r' ? '\n.' : '\u{1F600}.');
    }
    scanner.write(']]');
    expect(() => scanner.write('>')).toThrow(/\]\]>/);
  });

  it('refuses nesting deeper than its limit (256 by default)', () => {
    const nest = (n: number): string => `${'<a>'.repeat(n)}${'</a>'.repeat(n)}`;
    expect(SCANNER_LIMITS.maxDepth).toBe(256);
    expect(refusal(nest(256))).toBe('accepted');
    expect(refusal(nest(257))).toBe('too-deep: elements nested deeper than 256');
    expect(refusal(nest(11), Infinity, { ...SCANNER_LIMITS, maxDepth: 10 })).toMatch(/^too-deep/);
  });

  it('refuses an unfinished construct once it holds more than its limit, and holds nothing more', () => {
    const limits = { ...SCANNER_LIMITS, maxMarkupChars: 1000 };
    const long = 'x'.repeat(2000);
    for (const xml of [`<a b="${long}"/>`, `<a><!--${long}--></a>`, `<a><![CDATA[${long}]]></a>`, `<?pi ${long}?><a/>`, `<a>&${long};</a>`]) {
      for (const chunk of [7, 300]) {
        let fed = 0;
        const scanner = new FastXmlScanner({ open() {}, close() {}, text() {}, doctype() {} }, limits);
        const feed = (): void => {
          for (; fed < xml.length; fed += chunk) scanner.write(xml.slice(fed, fed + chunk));
          scanner.end();
        };
        expect(feed, `${xml.slice(0, 12)}… in chunks of ${chunk}`).toThrow(/unfinished construct .* longer than 1000 characters/);
        expect(fed).toBeLessThan(1000 + 2 * chunk + 20);
      }
      // What arrives whole is judged whole: the bound is on what waits for its end.
      expect(refusal(xml, Infinity, limits)).toBe(xml.includes('&') ? `malformed: undefined entity: ${long}` : 'accepted');
    }
    expect(refusal(`<a b="${'x'.repeat(900)}">${long}</a>`, 64, limits)).toBe('accepted'); // text is never held whole
  });

  it('refuses a DOCTYPE itself after reporting it, even when the handler lets it pass', () => {
    expect(refusal('<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>')).toBe('doctype: a DOCTYPE is not allowed');
    expect(refusal('<!DOCTYPE a><a/>', 3)).toBe('doctype: a DOCTYPE is not allowed');
  });
});
