import { describe, expect, it } from 'vitest';
import { daysInMonth } from '../identifiers/insz-check.js';
import { normaliseCnk } from '../codelists/vaccine-product.js';
import { calendarDate } from './kmehr-date.js';

// calendarDate, daysInMonth and normaliseCnk are read by hand (no RegExp, no Date) for speed; these pin their answers.
describe('calendarDate', () => {
  it('accepts xs:date with and without a time zone and returns the calendar part', () => {
    expect(calendarDate('2021-03-24')).toBe('2021-03-24');
    expect(calendarDate(' 2021-03-24\n')).toBe('2021-03-24');
    expect(calendarDate('2021-03-24Z')).toBe('2021-03-24');
    expect(calendarDate('2021-03-24+02:00')).toBe('2021-03-24');
    expect(calendarDate('2021-03-24-11:30')).toBe('2021-03-24');
    expect(calendarDate('2024-02-29')).toBe('2024-02-29');
    expect(calendarDate('2000-02-29')).toBe('2000-02-29');
  });

  it('refuses what is not a real date or not xs:date-shaped', () => {
    for (const bad of [
      undefined,
      '',
      '2021-02-29',
      '1900-02-29',
      '2021-04-31',
      '2021-13-01',
      '2021-00-10',
      '2021-01-00',
      '25/03/2021',
      '2021-3-24',
      '21-03-24',
      '2021-03-24T10:00:00',
      '2021-03-24z',
      '2021-03-24+0200',
      '2021-03-24+02:0a',
      '2021-03-24 Z',
      '２０２１-03-24',
      '2021/03/24',
      '2021-03-2a',
      '12021-03-24',
    ]) {
      expect(calendarDate(bad), String(bad)).toBeUndefined();
    }
  });
});

describe('daysInMonth', () => {
  it('agrees with Date for every month of four centuries', () => {
    for (let year = 1600; year < 2400; year++) {
      for (let month = 1; month <= 12; month++) {
        expect(daysInMonth(year, month)).toBe(new Date(Date.UTC(year, month, 0)).getUTCDate());
      }
    }
  });
});

describe('normaliseCnk', () => {
  it('keeps a 7-digit CNK as is and normalises the other accepted forms', () => {
    expect(normaliseCnk('4293254')).toBe('4293254');
    expect(normaliseCnk('2374 429')).toBe('2374429');
    expect(normaliseCnk('69914')).toBe('0069914');
    expect(normaliseCnk('429325a')).toBeUndefined();
    expect(normaliseCnk('12345678')).toBeUndefined();
  });
});
