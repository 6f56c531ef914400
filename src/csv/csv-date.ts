/** YYYY-MM-DD, or the Belgian DD/MM/YYYY or DD-MM-YYYY; undefined when not a real calendar date. */
export function parseCsvDate(value: string): string | undefined {
  const v = value.trim();
  const iso8601 = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  const belgian = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(v);
  const [y, mo, d] = iso8601 ? [iso8601[1]!, iso8601[2]!, iso8601[3]!] : belgian ? [belgian[3]!, belgian[2]!, belgian[1]!] : [];
  if (y === undefined || mo === undefined || d === undefined) return undefined;
  const iso = `${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso ? undefined : iso;
}
