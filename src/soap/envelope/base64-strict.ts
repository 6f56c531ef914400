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
  if (!/^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(compact)) return undefined;
  return Buffer.from(compact, 'base64');
}
