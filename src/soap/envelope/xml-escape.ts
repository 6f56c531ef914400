/**
 * XML escaping for the string builders. `>` is escaped too so `]]>` can never appear in text; CR, LF and TAB in
 * attributes become character references so they survive attribute-value normalisation.
 */
const TEXT = /[&<>\r]/g;
const ATTR = /[&<>"\t\n\r]/g;
const REPLACEMENTS: Readonly<Record<string, string>> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;',
};
const replace = (c: string): string => REPLACEMENTS[c]!;

export function escapeText(value: string): string {
  // The test first: most values (ids, codes) need no escaping and return unchanged without allocating.
  TEXT.lastIndex = 0;
  return TEXT.test(value) ? value.replace(TEXT, replace) : value;
}

export function escapeAttr(value: string): string {
  ATTR.lastIndex = 0;
  return ATTR.test(value) ? value.replace(ATTR, replace) : value;
}
