/**
 * Masks an INSZ/SSIN for logs: the birth-date part stays (useful when tracing), sequence and check digits go.
 * Anything that is not 11 digits is masked entirely, so a malformed number never leaks either.
 * @example maskInsz('85071412330') // '850714*****'
 */
export function maskInsz(value: string): string {
  return /^\d{11}$/.test(value) ? `${value.slice(0, 6)}*****` : '*'.repeat(Math.min(value.length, 11));
}
