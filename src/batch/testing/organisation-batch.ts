import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { KMEHR_NS } from '../../kmehr/model.js';
import { inszFor } from '../../kmehr/identifiers/synthetic-insz.js';

/** What a generated organisation delivery looks like. */
export interface OrganisationBatchSpec {
  /** Number of folders (patients). */
  readonly folders: number;
  /** Vaccination transactions per folder (default 1). */
  readonly doses?: number;
  /** The sender's Vaccinnet user code (`sender/hcparty/id[@S='LOCAL']`), default AZ Groeninge's AZGRON01. */
  readonly userCode?: string;
  /** Makes LOCAL ids and INSZs distinct between deliveries (patients `inszFor(offset + f)`). */
  readonly tag?: string;
  readonly patientOffset?: number;
  /** Administration date (YYYY-MM-DD), default 2024-03-01. */
  readonly date?: string;
}

function head(spec: OrganisationBatchSpec): string {
  const userCode = spec.userCode ?? 'AZGRON01';
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<kmehrmessage xmlns="${KMEHR_NS}"><header>` +
    `<standard><cd S="CD-STANDARD" SV="1.0">20120701</cd></standard><id S="ID-KMEHR" SV="1.0">71000436.${spec.tag ?? 'batch'}</id>` +
    '<date>2024-03-01</date><time>10:00:00</time><sender><hcparty>' +
    `<id S="LOCAL" SL="VACCINNET-USER" SV="1.0">${userCode}</id><id S="ID-HCPARTY" SV="1.0">71000436</id>` +
    '<cd S="CD-HCPARTY" SV="1.0">orghospital</cd><name>AZ GROENINGE</name></hcparty></sender>' +
    '<recipient><hcparty><cd S="CD-HCPARTY" SV="1.0">orgpublichealth</cd><name>VAZG</name></hcparty></recipient></header>\n'
  );
}

/** One folder: a patient with `doses` Comirnaty doses (with lot), each with its own LOCAL UUID. ~1.2 KB per dose. */
export function organisationFolder(spec: OrganisationBatchSpec, f: number): string {
  const doses = spec.doses ?? 1;
  const date = spec.date ?? '2024-03-01';
  const tag = spec.tag ?? 'batch';
  const insz = inszFor((spec.patientOffset ?? 0) + f);
  let s =
    `<folder><id S="ID-KMEHR" SV="1.0">${f + 1}</id><patient><id S="ID-PATIENT" SV="1.0">${insz}</id>` +
    '<firstname>Jan</firstname><familyname>Peeters</familyname><sex><cd S="CD-SEX" SV="1.0">male</cd></sex></patient>\n';
  for (let t = 0; t < doses; t++) {
    s +=
      `<transaction><id S="ID-KMEHR" SV="1.0">${t + 1}</id><id S="LOCAL" SL="UUID" SV="1.0">${tag}-${f}-${t}</id>` +
      `<cd S="CD-TRANSACTION" SV="1.0">vaccination</cd><date>${date}</date><time>10:00:00</time>` +
      '<author><hcparty><id S="ID-HCPARTY" SV="1.0">17654394001</id><cd S="CD-HCPARTY" SV="1.0">persphysician</cd>' +
      '<firstname>Pieter</firstname><familyname>Wouters</familyname></hcparty></author>' +
      '<iscomplete>true</iscomplete><isvalidated>true</isvalidated>' +
      '<item><id S="ID-KMEHR" SV="1.0">1</id><cd S="CD-ITEM" SV="1.0">vaccine</cd>' +
      '<content><medicinalproduct><intendedcd S="CD-DRUG-CNK" SV="1.0">4293254</intendedcd>' +
      '<intendedname>Comirnaty 30 microgram/dose</intendedname></medicinalproduct></content>' +
      `<beginmoment><date>${dateMinus(date, t)}</date></beginmoment><lifecycle><cd S="CD-LIFECYCLE" SV="1.0">administrated</cd></lifecycle>` +
      `<quantity><decimal>1</decimal></quantity><batch>EW${String(t).padStart(4, '0')}</batch></item>` +
      '</transaction>\n';
  }
  return `${s}</folder>\n`;
}

/** Doses of one patient lie one day apart (a same-day second dose would be a probable duplicate). */
function dateMinus(date: string, days: number): string {
  if (days === 0) return date;
  return new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/** The delivery's KMEHR lazily, ~64 KB per Buffer: never held in memory whole. */
export async function* organisationBatchChunks(spec: OrganisationBatchSpec): AsyncGenerator<Buffer> {
  let pending = head(spec);
  for (let f = 0; f < spec.folders; f++) {
    pending += organisationFolder(spec, f);
    if (pending.length >= 65_536) {
      yield Buffer.from(pending, 'utf8');
      pending = '';
    }
  }
  yield Buffer.from(`${pending}</kmehrmessage>\n`, 'utf8');
}

/** The whole message as one string (small deliveries). */
export function organisationBatch(spec: OrganisationBatchSpec): string {
  let s = head(spec);
  for (let f = 0; f < spec.folders; f++) s += organisationFolder(spec, f);
  return `${s}</kmehrmessage>\n`;
}

/** Writes the message to `file`, streaming (a 100 000-dose file is ~120 MB). */
export async function writeOrganisationBatch(file: string, spec: OrganisationBatchSpec): Promise<void> {
  const out = createWriteStream(file);
  for await (const chunk of organisationBatchChunks(spec)) if (!out.write(chunk)) await once(out, 'drain');
  out.end();
  await once(out, 'close');
}
