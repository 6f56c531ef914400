import { describe, expect, it } from 'vitest';
import { formatPersonRowError, readPersonsCsv } from './persons-csv.js';

const TODAY = '2026-01-01';

describe('readPersonsCsv', () => {
  it('takes birth date and sex from the INSZ when the columns are empty or absent', () => {
    const csv = readPersonsCsv('\uFEFFinsz,familyname,firstname\n85071412330,Vermeulen,Jan\n06070500252,Willems,Emma\n', TODAY);
    expect(csv).toEqual({
      rows: 2,
      errors: [],
      persons: [
        { insz: '85071412330', firstname: 'Jan', familyname: 'Vermeulen', birthdate: '1985-07-14', sex: 'male' },
        { insz: '06070500252', firstname: 'Emma', familyname: 'Willems', birthdate: '2006-07-05', sex: 'female' },
      ],
    });
  });

  it('accepts BIS numbers: a known date must agree, an unknown day may be filled in, sex +20 is unknown unless given', () => {
    const csv = readPersonsCsv(
      [
        'insz;firstname;familyname;birthdate;sex',
        '85471412319;Bis;Known;;', // month + 40: date and sex known
        '85470012351;Bis;NoDay;1985-07-09;V', // day 00: only year and month are known
        '85271412472;Bis;NoSex;;', // month + 20: sex unknown
        '85470012351;Bis;Twice;1985-08-01;', // wrong month, and the same number again
      ].join('\n'),
      TODAY,
    );
    expect(csv.persons).toEqual([
      { insz: '85471412319', firstname: 'Bis', familyname: 'Known', birthdate: '1985-07-14', sex: 'male' },
      { insz: '85470012351', firstname: 'Bis', familyname: 'NoDay', birthdate: '1985-07-09', sex: 'female' },
      { insz: '85271412472', firstname: 'Bis', familyname: 'NoSex', birthdate: '1985-07-14' },
    ]);
    expect(csv.errors.map(formatPersonRowError)).toEqual([
      'line 5: PERSON_CSV_INVALID: INSZ 854700***** already on line 3',
      'line 5: PERSON_CSV_INVALID: birthdate 1985-08-01 does not match the birth date the INSZ encodes (1985-07)',
    ]);
  });

  it('refuses INSZ numbers born after today, rows with too many fields, and quoted fields keep their line numbers', () => {
    const csv = readPersonsCsv('insz,firstname,familyname\n85071412330,"Jan\nMulti",Vermeulen\n06070500252,Emma,Willems,extra\n', '2006-01-01');
    expect(csv.persons).toEqual([{ insz: '85071412330', firstname: 'Jan\nMulti', familyname: 'Vermeulen', birthdate: '1985-07-14', sex: 'male' }]);
    expect(csv.errors).toEqual([
      { line: 4, code: 'PERSON_CSV_INVALID', message: '4 fields, the header has 3' },
      { line: 4, code: 'INSZ_BIRTH_IN_FUTURE', message: 'The INSZ/SSIN 060705***** at column insz encodes a birth date in the future.' },
    ]);
  });

  it('an empty file is one error on line 1', () => {
    expect(readPersonsCsv('', TODAY)).toEqual({
      persons: [],
      rows: 0,
      errors: [{ line: 1, code: 'PERSON_CSV_INVALID', message: 'the file is empty; expected a header row insz,firstname,familyname,birthdate,sex' }],
    });
  });
});
