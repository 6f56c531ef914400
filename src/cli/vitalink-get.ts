import { KmehrReadClient } from '../client/kmehr-read-client.js';
import { parseKmehr } from '../kmehr/parse-kmehr.js';
import { readVitalinkVaccination } from '../kmehr/read-vitalink-vaccination.js';
import { callEndpoint, type CallOptions } from './client-options.js';

export interface VitalinkGetOptions extends CallOptions {
  readonly patient: string;
  readonly since?: string;
  readonly kmehr?: boolean;
  readonly json?: boolean;
}

interface VitalinkRow {
  readonly uri: string;
  readonly date: string;
  readonly product: string;
  readonly lot?: string;
}

/**
 * `vaccinnet get --vitalink`: the same person's vaccinations through the KMEHR read over mutual TLS
 * (docs/kmehr-read.md), one Vitalink-shaped message per vaccination. Exit 0 when read, 1 when refused.
 * @param masked - the patient's INSZ as the CLI may show it
 */
export async function vitalinkGet(o: VitalinkGetOptions, masked: string): Promise<number> {
  const { key, baseUrl, ca } = callEndpoint(o);
  const client = new KmehrReadClient({ baseUrl, key, ...(ca && { ca }) });
  try {
    const result = await client.vaccinations({ softwareId: o.softwareId, ssin: o.patient, ...(o.since && { since: o.since }) });
    if (!result.ok) {
      process.stdout.write(`refused: ${result.status.code} — ${result.status.message} (HTTP ${result.httpStatus})\n`);
      return 1;
    }
    // An allowed but flagged read (ACCESS_OWN_ONLY …): said on stderr, so --kmehr / --json output stays clean.
    if (result.status.code !== 'OK') process.stderr.write(`note: ${result.status.code} — ${result.status.message}\n`);
    if (o.kmehr) {
      for (const e of result.entries) process.stdout.write(`${e.kmehr}\n`);
      return 0;
    }
    const rows = result.entries.map(rowOf);
    if (o.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    else if (rows.length === 0) process.stdout.write('no vaccinations registered\n');
    else {
      process.stdout.write(`${rows.length} vaccination(s) of ${masked}:\n`);
      for (const r of rows) process.stdout.write(`  ${r.date}  ${r.product.padEnd(44)}  lot ${r.lot ?? '-'}  ${r.uri.replace(o.patient, masked)}\n`);
    }
    return 0;
  } finally {
    client.close();
  }
}

function rowOf(entry: { readonly uri: string; readonly kmehr: string }): VitalinkRow {
  const parsed = parseKmehr(entry.kmehr);
  const read = parsed.ok ? readVitalinkVaccination(parsed.message) : undefined;
  if (!read?.ok) throw new Error(`the registry answered an unreadable KMEHR message for ${entry.uri}`);
  const p = read.vaccination.product;
  return {
    uri: entry.uri,
    date: read.vaccination.administeredOn,
    product: p.name ?? p.cnk ?? p.vaccinnetCode ?? p.atc ?? p.indications.join('+'),
    ...(read.vaccination.lot !== undefined && { lot: read.vaccination.lot }),
  };
}
