import { describe, expect, it } from 'vitest';
import { parsePersonsCsv } from './persons-csv.js';

describe('parsePersonsCsv', () => {
  it('reads valid rows and fills birth date and sex from the INSZ', () => {
    const csv = '\uFEFFINSZ;FirstName;FamilyName;BirthDate;Sex\r\n85071412330;Jan;Peeters;;\r\n06070500252;Emma;"Willems; jr";2006-07-05;female\r\n';
    expect(parsePersonsCsv(csv, '2024-03-10')).toEqual({
      persons: [
        { insz: '85071412330', firstname: 'Jan', familyname: 'Peeters', birthdate: '1985-07-14', sex: 'male' },
        { insz: '06070500252', firstname: 'Emma', familyname: 'Willems; jr', birthdate: '2006-07-05', sex: 'female' },
      ],
      findings: [],
    });
  });

  it('refuses bad rows with their line and keeps the good ones', () => {
    const csv =
      'insz,firstname,familyname,birthdate,sex\n85071412331,Bad,Checksum,,\n85071412330,Jan,Peeters,1985-02-30,\n06070500252,Emma,Willems,,x\n72022102793,Ok,Person,,\n';
    const result = parsePersonsCsv(csv, '2024-03-10');
    expect(result.persons.map((p) => p.insz)).toEqual(['72022102793']);
    expect(result.findings.map((f) => [f.code, f.location])).toEqual([
      ['INSZ_CHECKSUM', 'line 2'],
      ['DATE_INVALID', 'line 3'],
      ['PERSON_CSV_INVALID', 'line 4'],
    ]);
  });

  it('cites the line a row starts on, past quoted line breaks and blank lines, and refuses a file that is not CSV', () => {
    const csv = 'insz,firstname,familyname\n06070500252,Emma,"Willems\nde Smet"\n\n85071412331,Bad,Checksum\n';
    expect(parsePersonsCsv(csv, '2024-03-10').findings.map((f) => [f.code, f.location])).toEqual([['INSZ_CHECKSUM', 'line 5']]);
    expect(parsePersonsCsv('insz;firstname;familyname\n85071412330;Jan;Pee"ters\n', '2024-03-10').findings.map((f) => [f.code, f.location])).toEqual([
      ['PERSON_CSV_INVALID', 'line 2'],
    ]);
  });

  it('refuses a file without the required columns', () => {
    expect(parsePersonsCsv('ssin,name\n85071412330,Jan\n', '2024-03-10').findings.map((f) => f.message)).toEqual([
      'The person file is not usable at line 1: missing column(s) insz, firstname, familyname.',
    ]);
  });
});
