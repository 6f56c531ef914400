import { describe, expect, it } from 'vitest';
import { checkNihii } from './nihii-check.js';

describe('checkNihii (identity.md §4)', () => {
  it('accepts the worked examples', () => {
    expect(checkNihii('14700250004')).toEqual({ ok: true, kind: 'person', competence: '004', rule: 97 });
    expect(checkNihii('11478761004')).toEqual({ ok: true, kind: 'person', competence: '004', rule: 97 });
    expect(checkNihii('71000436')).toEqual({ ok: true, kind: 'organisation', rule: 97 });
  });
  it('refuses 10182803004, which fails both rules', () => {
    expect(checkNihii('10182803004')).toMatchObject({ ok: false, code: 'NIHII_CHECKSUM' });
  });
  it('accepts the 89 rule and says so', () => {
    // 147002 mod 89 = 63 → 89 − 63 = 26
    expect(checkNihii('14700226005')).toEqual({ ok: true, kind: 'person', competence: '005', rule: 89 });
    expect(checkNihii('71000438')).toEqual({ ok: true, kind: 'organisation', rule: 89 });
    expect(checkNihii('71000430')).toMatchObject({ ok: false, code: 'NIHII_CHECKSUM' });
  });
  it.each(['', '1470025000', '147002500044', '1470025000x', '7100043', '710004361', '14700 250004'])('refuses the format of %j', (v) => {
    expect(checkNihii(v)).toMatchObject({ ok: false, code: 'NIHII_FORMAT' });
  });
});
