/**
 * The bytes of the first element inside a DER SEQUENCE: the signed "to-be-signed" part of a certificate or CRL.
 * Hand-written because @peculiar/x509 keeps `tbs` private and its own verify is async, while CRLs are re-read
 * synchronously on the request path.
 */
export function firstElementOfSequence(der: Uint8Array): Uint8Array {
  if (der[0] !== 0x30) throw new Error('not a DER SEQUENCE');
  const outer = headerLength(der, 0);
  const start = outer.header;
  if (der[start] !== 0x30) throw new Error('first element is not a SEQUENCE');
  const inner = headerLength(der, start);
  const end = start + inner.header + inner.length;
  if (end > der.length) throw new Error('truncated DER');
  return der.subarray(start, end);
}

function headerLength(der: Uint8Array, offset: number): { header: number; length: number } {
  const first = der[offset + 1];
  if (first === undefined) throw new Error('truncated DER');
  if (first < 0x80) return { header: 2, length: first };
  const count = first & 0x7f;
  if (count < 1 || count > 4) throw new Error('unsupported DER length');
  let length = 0;
  for (let i = 0; i < count; i++) {
    const b = der[offset + 2 + i];
    if (b === undefined) throw new Error('truncated DER');
    length = length * 256 + b;
  }
  return { header: 2 + count, length };
}
