// Characters XML 1.0 cannot carry at all (C0 controls except tab, LF, CR; lone surrogates; U+FFFE/U+FFFF).
// The model may be built by code rather than parsed, so the writer drops them instead of emitting broken XML.
const INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/gu;
const TEXT_SPECIAL = /[&<>\r]/;
const ATTR_SPECIAL = /[&<>"\t\n\r]/;

function clean(value: string): string {
  INVALID.lastIndex = 0;
  return INVALID.test(value) ? value.replace(INVALID, '') : value;
}

/** Escapes element text (`\r` as a reference so it survives end-of-line normalisation). */
export function escapeText(value: string): string {
  const v = clean(value);
  if (!TEXT_SPECIAL.test(v)) return v;
  return v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** Escapes an attribute value for double quotes (tab/LF/CR as references so they survive normalisation). */
export function escapeAttribute(value: string): string {
  const v = clean(value);
  if (!ATTR_SPECIAL.test(v)) return v;
  return v
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}
