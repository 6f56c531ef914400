import { describe, expect, it } from 'vitest';
import { checkInsz } from './insz-check.js';

const TODAY = '2026-11-29';

/** Builds an INSZ from its first nine digits with the spec's formula (identity.md §4). */
function insz(first9: string, century: 1900 | 2000 = 1900): string {
  const n = Number(first9) + (century === 2000 ? 2_000_000_000 : 0);
  return first9 + String(97 - (n % 97)).padStart(2, '0');
}

describe('checkInsz: worked examples of identity.md §4', () => {
  it('85071412330: 1985-07-14, male, sequence 123', () => {
    expect(checkInsz('85071412330', TODAY)).toEqual({
      ok: true,
      kind: 'register',
      birthdate: '1985-07-14',
      birthYear: 1985,
      birthMonth: 7,
      sex: 'male',
    });
  });
  it('06070500252: 2006-07-05, female (the 2000000000 + N rule gives the century)', () => {
    expect(checkInsz('06070500252', TODAY)).toEqual({
      ok: true,
      kind: 'register',
      birthdate: '2006-07-05',
      birthYear: 2006,
      birthMonth: 7,
      sex: 'female',
    });
  });
  it('85493004321: BIS number, sex known (month + 40), 1985-09-30', () => {
    expect(checkInsz('85493004321', TODAY)).toEqual({
      ok: true,
      kind: 'bis',
      birthdate: '1985-09-30',
      birthYear: 1985,
      birthMonth: 9,
      sex: 'male',
    });
  });
  it('72230000123: BIS number, sex unknown (month + 20), day unknown', () => {
    expect(checkInsz('72230000123', TODAY)).toEqual({ ok: true, kind: 'bis', birthYear: 1972, birthMonth: 3 });
  });
  it('72022102793: the real-world test value', () => {
    expect(checkInsz('72022102793', TODAY)).toMatchObject({ ok: true, kind: 'register', birthdate: '1972-02-21', sex: 'male' });
  });
  it('90010100101: the placeholder of public samples fails both rules', () => {
    expect(checkInsz('90010100101', TODAY)).toMatchObject({ ok: false, code: 'INSZ_CHECKSUM' });
  });
});

describe('checkInsz: edge cases', () => {
  it.each(['', '8507141233', '850714123300', '85071412a30', ' 85071412330', '85.07.14-123.30'])('refuses the format of %j', (v) => {
    expect(checkInsz(v, TODAY)).toMatchObject({ ok: false, code: 'INSZ_FORMAT' });
  });
  it('refuses a single wrong check digit', () => {
    expect(checkInsz('85071412331', TODAY)).toMatchObject({ ok: false, code: 'INSZ_CHECKSUM' });
  });
  it('uses the rule that holds for the century: the same first nine digits as 19xx and 20xx', () => {
    expect(checkInsz(insz('000229123', 2000), TODAY)).toMatchObject({ ok: true, birthdate: '2000-02-29' });
    // 1900 was not a leap year: the same digits with the 19xx check digits are an impossible date.
    expect(checkInsz(insz('000229123', 1900), TODAY)).toMatchObject({ ok: false, code: 'INSZ_DATE' });
  });
  it('refuses impossible dates (31 February, 31 April)', () => {
    expect(checkInsz(insz('850231123'), TODAY)).toMatchObject({ ok: false, code: 'INSZ_DATE', detail: 'day 31 does not exist in 1985-02' });
    expect(checkInsz(insz('850431123'), TODAY)).toMatchObject({ ok: false, code: 'INSZ_DATE' });
    expect(checkInsz(insz('850732123'), TODAY)).toMatchObject({ ok: false, code: 'INSZ_DATE' });
  });
  it('refuses sequence 000 and 999 for register numbers but not for BIS numbers', () => {
    expect(checkInsz(insz('850714000'), TODAY)).toMatchObject({ ok: false, code: 'INSZ_DATE', detail: 'sequence 000 is never assigned' });
    expect(checkInsz(insz('850714999'), TODAY)).toMatchObject({ ok: false, code: 'INSZ_DATE', detail: 'sequence 999 is never assigned' });
    expect(checkInsz(insz('854714999'), TODAY)).toMatchObject({ ok: true, kind: 'bis', sex: 'male' });
  });
  it('refuses month parts above 52 and month mod 20 above 12', () => {
    for (const mm of ['13', '19', '33', '39', '53', '60', '99']) {
      expect(checkInsz(insz(`85${mm}14123`), TODAY), mm).toMatchObject({ ok: false, code: 'INSZ_DATE' });
    }
    for (const mm of ['20', '32', '40', '52']) {
      expect(checkInsz(insz(`85${mm}14123`), TODAY), mm).toMatchObject({ ok: true, kind: 'bis' });
    }
  });
  it('allows day or month 00 only for BIS numbers', () => {
    expect(checkInsz(insz('850014123'), TODAY)).toMatchObject({ ok: false, code: 'INSZ_DATE' });
    expect(checkInsz(insz('850700123'), TODAY)).toMatchObject({ ok: false, code: 'INSZ_DATE' });
    expect(checkInsz(insz('854000123'), TODAY)).toEqual({ ok: true, kind: 'bis', birthYear: 1985, sex: 'male' });
    expect(checkInsz(insz('852014124'), TODAY)).toEqual({ ok: true, kind: 'bis', birthYear: 1985 });
    expect(checkInsz(insz('854700124'), TODAY)).toEqual({ ok: true, kind: 'bis', birthYear: 1985, birthMonth: 7, sex: 'female' });
  });
  it('refuses a birth date after today, at the precision the number gives', () => {
    expect(checkInsz(insz('261130123', 2000), TODAY)).toMatchObject({ ok: false, code: 'INSZ_BIRTH_IN_FUTURE' });
    expect(checkInsz(insz('261129123', 2000), TODAY)).toMatchObject({ ok: true, birthdate: '2026-11-29' });
    // BIS with only the month known: November 2026 is not in the future on 29 November, December is.
    expect(checkInsz(insz('265100123', 2000), TODAY)).toMatchObject({ ok: true, birthYear: 2026, birthMonth: 11 });
    expect(checkInsz(insz('265200123', 2000), TODAY)).toMatchObject({ ok: false, code: 'INSZ_BIRTH_IN_FUTURE' });
  });
  it('never puts the number in the detail (details are logged)', () => {
    const r = checkInsz(insz('850231123'), TODAY);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.detail).not.toContain('850231');
  });
});
