import { KMEHR_NS } from './model.js';

const HEAD =
  `<?xml version="1.0" encoding="UTF-8"?>\n<kmehrmessage xmlns="${KMEHR_NS}"><header>` +
  '<standard><cd S="CD-STANDARD" SV="1.0">20161201</cd></standard><id S="ID-KMEHR" SV="1.0">14700250004.1700000000000</id>' +
  '<date>2021-03-25</date><time>16:33:31</time><sender><hcparty><id S="ID-HCPARTY" SV="1.0">14700250004</id>' +
  '<cd S="CD-HCPARTY" SV="1.0">persphysician</cd><firstname>Veerle</firstname><familyname>Piessens</familyname>' +
  '</hcparty></sender><recipient><hcparty><cd S="CD-HCPARTY" SV="1.0">orgpublichealth</cd><name>VAZG</name></hcparty>' +
  '</recipient></header>\n';
const TAIL = '</kmehrmessage>\n';

/**
 * One batch-shaped folder (patient + one vaccination transaction with a Comirnaty item), about 1.6 KB, with
 * per-folder ids so every folder differs. Test/bench data only: the INSZ is a fixed fictitious number.
 */
export function batchFolder(n: number): string {
  const id = String(n + 1);
  return (
    `<folder><id S="ID-KMEHR" SV="1.0">${id}</id><patient><id S="ID-PATIENT" SV="1.0">85071412330</id>` +
    '<firstname>Jan</firstname><familyname>Peeters</familyname><birthdate><date>1985-07-14</date></birthdate>' +
    '<sex><cd S="CD-SEX" SV="1.0">male</cd></sex><usuallanguage>nl</usuallanguage></patient>\n' +
    `<transaction><id S="ID-KMEHR" SV="1.0">1</id><id S="LOCAL" SL="batch-uuid" SV="1.0">3f0b2c1e-0000-4000-8000-${id.padStart(12, '0')}</id>` +
    '<cd S="CD-TRANSACTION" SV="1.0">vaccination</cd><date>2021-03-25</date><time>16:33:31</time>' +
    '<author><hcparty><id S="ID-HCPARTY" SV="1.0">14700250004</id><cd S="CD-HCPARTY" SV="1.0">persphysician</cd>' +
    '<firstname>Veerle</firstname><familyname>Piessens</familyname></hcparty></author>' +
    '<iscomplete>true</iscomplete><isvalidated>true</isvalidated>\n' +
    '<item><id S="ID-KMEHR" SV="1.0">1</id><cd S="CD-ITEM" SV="1.0">vaccine</cd>' +
    '<content><medicinalproduct><intendedcd S="CD-DRUG-CNK" SV="1.0">4293254</intendedcd>' +
    '<intendedname>Comirnaty 30 microgram/dose</intendedname></medicinalproduct></content>' +
    '<content><cd S="CD-VACCINEINDICATION" SV="1.0">covid19</cd></content>' +
    '<content><cd S="CD-ATC" SV="1.0">J07BX03</cd></content>' +
    '<content><cd S="LOCAL" SL="VACCINNETCODE" SV="1.0">Covid-19/PFBNT001</cd></content>' +
    '<beginmoment><date>2021-03-24</date></beginmoment><lifecycle><cd S="CD-LIFECYCLE" SV="1.0">administrated</cd></lifecycle>' +
    `<quantity><decimal>1</decimal></quantity><route><cd S="CD-DRUG-ROUTE" SV="2.0">00005</cd></route><batch>EW${id.padStart(4, '0')}</batch></item>\n` +
    '</transaction></folder>\n'
  );
}

/** A whole batch message with `folders` folders, as one string (for throughput measurements). */
export function batchMessage(folders: number): string {
  const parts = [HEAD];
  for (let i = 0; i < folders; i++) parts.push(batchFolder(i));
  parts.push(TAIL);
  return parts.join('');
}

/** The same message generated lazily, `perChunk` folders per Buffer, so tests never hold it in memory. */
export async function* batchChunks(folders: number, perChunk = 32): AsyncGenerator<Buffer> {
  yield Buffer.from(HEAD);
  for (let i = 0; i < folders; i += perChunk) {
    let s = '';
    for (let j = i; j < Math.min(folders, i + perChunk); j++) s += batchFolder(j);
    yield Buffer.from(s);
  }
  yield Buffer.from(TAIL);
}
