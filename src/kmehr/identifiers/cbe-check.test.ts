import { describe, expect, it } from 'vitest';
import { checkCbe } from './cbe-check.js';

describe('checkCbe (identity.md §4)', () => {
  it('accepts the worked examples', () => {
    expect(checkCbe('0314595348')).toEqual({ ok: true });
    expect(checkCbe('0878065378')).toEqual({ ok: true });
  });
  it('refuses wrong check digits, a first digit other than 0/1, and other formats', () => {
    expect(checkCbe('0314595349')).toEqual({ ok: false, detail: 'wrong check digits' });
    expect(checkCbe('2314595348')).toEqual({ ok: false, detail: 'first digit must be 0 or 1' });
    expect(checkCbe('0314.595.348')).toEqual({ ok: false, detail: 'not 10 digits' });
    expect(checkCbe('314595348')).toEqual({ ok: false, detail: 'not 10 digits' });
  });
});
