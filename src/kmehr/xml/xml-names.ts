/**
 * The name rules of XML 1.0 (fifth edition, §2.3 productions [4] NameStartChar, [4a] NameChar, [5] Name) and of
 * Namespaces in XML (NCName: a Name without a colon), in one place for every scanner of the project. ASCII names —
 * nearly all names we meet — are checked with a table; a name with any other character goes through the regex.
 */

/** NameStartChar minus ':' as a regex character-class body (needs the `u` flag for the astral range). */
const NAME_START_CLASS =
  'A-Z_a-z\\xC0-\\xD6\\xD8-\\xF6\\xF8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
/** NameChar minus ':' as a regex character-class body. */
const NAME_CHAR_CLASS = `${NAME_START_CLASS}\\-.0-9\\xB7\\u0300-\\u036F\\u203F\\u2040`;

// The productions list U+200C, U+200D and the combining marks U+0300–U+036F as single code points (never as joined
// sequences), which is what the `u` flag matches; the lint rule warns about them in case they were meant joined.
// eslint-disable-next-line no-misleading-character-class
const NCNAME = new RegExp(`^[${NAME_START_CLASS}][${NAME_CHAR_CLASS}]*$`, 'u');
// eslint-disable-next-line no-misleading-character-class
const NAME = new RegExp(`^[:${NAME_START_CLASS}][:${NAME_CHAR_CLASS}]*$`, 'u');

/** ASCII name table: 0 = not a name character, 1 = a name character, 2 = also a name start character (':' included). */
export const ASCII_NAME = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const start = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 58;
  const other = (c >= 48 && c <= 57) || c === 45 || c === 46;
  ASCII_NAME[c] = start ? 2 : other ? 1 : 0;
}

/** An XML Name ([5]): colons allowed anywhere, as in tag names before namespace processing. */
export function isXmlName(name: string): boolean {
  if (name === '') return false;
  const c0 = name.charCodeAt(0);
  if (c0 < 128 && ASCII_NAME[c0] !== 2) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 128) return NAME.test(name);
    if (ASCII_NAME[c] === 0) return false;
  }
  return true;
}

/** An NCName (Namespaces in XML [4]): a Name without a colon — a prefix, a local part, a PI target's shape. */
export function isNcName(name: string): boolean {
  if (name === '') return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 128) return NCNAME.test(name);
    if (ASCII_NAME[c] === 0 || c === 58) return false;
  }
  const c0 = name.charCodeAt(0);
  return ASCII_NAME[c0] === 2;
}

/** A QName: an NCName, or two NCNames joined by one colon. One pass without copies for ASCII names (every tag). */
export function isQName(name: string): boolean {
  let colon = -1;
  let partStart = true;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 128)
      return colon === -1 ? isNcName(name) : isNcName(name.slice(0, colon)) && isNcName(name.slice(colon + 1)) && name.indexOf(':', colon + 1) === -1;
    if (c === 58) {
      if (colon !== -1 || partStart) return false;
      colon = i;
      partStart = true;
      continue;
    }
    const kind = ASCII_NAME[c] as number;
    if (kind === 0 || (partStart && kind !== 2)) return false;
    partStart = false;
  }
  return !partStart;
}
