import { describe, expect, it } from 'vitest';
import { SaxesParser } from 'saxes';
import { dropInvalidXmlChars, escapeAttribute, escapeText } from './xml-escape.js';

/** What an XML parser reads back from `<r a="…">…</r>` (saxes applies end-of-line and attribute normalisation). */
function readBack(text: string, attribute: string): { text: string; attribute: string } {
  const parser = new SaxesParser();
  let readText = '';
  let readAttribute = '';
  parser.on('opentag', (tag) => {
    readAttribute = String(tag.attributes['a']);
  });
  parser.on('text', (t) => {
    readText += t;
  });
  parser.write(`<r a="${escapeAttribute(attribute)}">${escapeText(text)}</r>`).close();
  return { text: readText, attribute: readAttribute };
}

describe('xml-escape', () => {
  it('returns values without special characters unchanged', () => {
    const id = 'urn:uuid:4f1c-9a';
    expect(escapeText(id)).toBe(id);
    expect(escapeAttribute(id)).toBe(id);
  });

  it('escapes markup, ]]> and the whitespace normalisation would change', () => {
    expect(escapeText('a < b && c > d ]]> \r\n\t')).toBe('a &lt; b &amp;&amp; c &gt; d ]]&gt; &#13;\n\t');
    expect(escapeAttribute('say "x" <&>\t\n\r')).toBe('say &quot;x&quot; &lt;&amp;&gt;&#9;&#10;&#13;');
  });

  it('round-trips through a parser exactly, quotes, CR, LF and TAB included', () => {
    const value = `Jan "de" <Smet> & co's\r\nline\ttab ]]> é 😀`;
    expect(readBack(value, value)).toEqual({ text: value, attribute: value });
  });

  it('drops only what XML 1.0 cannot carry', () => {
    expect(dropInvalidXmlChars('a\u0001b\u000bc\ufffed\ud800e\tf\n😀')).toBe('abcde\tf\n😀');
    expect(dropInvalidXmlChars('plain')).toBe('plain');
  });
});
