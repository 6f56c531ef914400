/** Serial numbers compared as upper-case hex without leading zeros (Node, OpenSSL and @peculiar/x509 differ). */
export function normaliseSerial(serial: string): string {
  const hex = serial
    .replace(/[^0-9a-fA-F]/g, '')
    .toUpperCase()
    .replace(/^0+(?=.)/, '');
  return hex;
}
