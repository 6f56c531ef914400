import { describe, expect, it } from 'vitest';
import { readCsv } from './read-csv.js';

describe('readCsv', () => {
  it('reads records with the line they start on, skipping blank lines', () => {
    expect(readCsv('a;b\n\n"x\ny";2\r\n   \r\nz;"q""r"')).toEqual({
      ok: true,
      delimiter: ';',
      records: [
        { line: 1, fields: ['a', 'b'] },
        { line: 3, fields: ['x\ny', '2'] },
        { line: 6, fields: ['z', 'q"r'] },
      ],
    });
  });

  it('keeps a delimiter and line breaks inside quotes, drops a BOM, and reads CRLF like LF', () => {
    const reading = readCsv('\uFEFFname,remark\r\n"Peeters, Jan","two\r\nlines"\r\n"Willems","a ""quoted"" word"\r\n');
    expect(reading).toEqual({
      ok: true,
      delimiter: ',',
      records: [
        { line: 1, fields: ['name', 'remark'] },
        { line: 2, fields: ['Peeters, Jan', 'two\r\nlines'] },
        { line: 4, fields: ['Willems', 'a "quoted" word'] },
      ],
    });
  });

  it('takes the delimiter that occurs more often on the first line unless one is given', () => {
    expect(readCsv('a;b;c,d\n1;2;3,4\n')).toMatchObject({ ok: true, delimiter: ';', records: [{ fields: ['a', 'b', 'c,d'] }, { fields: ['1', '2', '3,4'] }] });
    expect(readCsv('a;b,c\n', ',')).toMatchObject({ ok: true, records: [{ fields: ['a;b', 'c'] }] });
  });

  it('keeps rows shorter or longer than the header for the caller to judge', () => {
    expect(readCsv('a;b;c\n1\n1;2;3;4\n')).toMatchObject({
      ok: true,
      records: [{ fields: ['a', 'b', 'c'] }, { fields: ['1'] }, { fields: ['1', '2', '3', '4'] }],
    });
  });

  it('says on which line and field a file stops being CSV, instead of guessing', () => {
    expect(readCsv('a;b\n1;"open\n2;3\n')).toEqual({
      ok: false,
      line: 2,
      field: 2,
      message: 'a quoted field that starts on this line is not closed before the end of the file',
    });
    expect(readCsv('a;b\n1;x"y\n')).toMatchObject({ ok: false, line: 2, field: 2 });
    expect(readCsv('a;b\n"x"y;2\n')).toMatchObject({ ok: false, line: 2, field: 1 });
  });
});
