/**
 * The n-th of millions of distinct valid register INSZ numbers (male, born 1950-01-01 + ⌊n / 499⌋ days, odd
 * sequence 1…997), for tests, benches and `vaccinnet batch generate`, which need many patients. `inszFor(0)` =
 * 50010100156. Not in a testing folder because the client's batch generator ships with it.
 */
export function inszFor(n: number): string {
  const d = new Date(Date.UTC(1950, 0, 1 + Math.floor(n / 499)));
  const yymmdd = `${String(d.getUTCFullYear() % 100).padStart(2, '0')}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
  const first9 = `${yymmdd}${String(1 + 2 * (n % 499)).padStart(3, '0')}`;
  const base = d.getUTCFullYear() >= 2000 ? 2_000_000_000 + Number(first9) : Number(first9);
  return first9 + String(97 - (base % 97)).padStart(2, '0');
}
