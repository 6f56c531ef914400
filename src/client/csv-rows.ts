/** One CSV record with the 1-based line on which it starts (quoted fields may span lines). */
export interface CsvRecord {
  readonly line: number;
  readonly fields: readonly string[];
}

/**
 * Reads RFC 4180 CSV (quoted fields, doubled quotes, CRLF/LF, a BOM) keeping line numbers, which errors must cite.
 * Why not `parseCsv` from the code lists: it drops the line numbers. Blank lines are skipped.
 * @param delimiter - `,` or `;`; default: whichever occurs more often on the first line (Excel in Belgium writes `;`)
 */
export function readCsvRecords(text: string, delimiter?: ',' | ';'): CsvRecord[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const firstLine = src.slice(0, src.indexOf('\n') >>> 0);
  const sep = delimiter ?? ((firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',');
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  const endRecord = (): void => {
    fields.push(field);
    if (fields.length > 1 || fields[0]!.trim() !== '') records.push({ line: start, fields });
    fields = [];
    field = '';
  };
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (ch === '\n') line += 1;
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) { fields.push(field); field = ''; }
    else if (ch === '\n') { endRecord(); start = line; }
    else if (ch !== '\r') field += ch;
  }
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}
