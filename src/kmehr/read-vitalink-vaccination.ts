import { codeOf, idOf, itemType, type Content, type KmehrMessage } from './model.js';
import { parseVitalinkUri, VITALINK_URI_SL } from './vitalink-uri.js';
import { NO_NAME, type VitalinkPatient, type VitalinkProduct, type VitalinkVaccination } from './vitalink-vaccination.js';
import { instantOf } from './zoned-moment.js';

export type VitalinkRead =
  { readonly ok: true; readonly vaccination: VitalinkVaccination; readonly patient: VitalinkPatient } | { readonly ok: false; readonly problem: string };

/**
 * The inverse of `vitalinkVaccinationMessage`: a parsed Vitalink-shaped message back to the vaccination it carries
 * (for clients, the CLI and the round-trip tests). Strict about what makes it one vaccination — one folder, one
 * transaction, a vitalinkuri, one `vaccine` item — and tolerant of what the public read-backs add (an
 * `encounterlocation` item, other authors).
 */
export function readVitalinkVaccination(message: KmehrMessage): VitalinkRead {
  if (message.folders.length !== 1) return fail(`${message.folders.length} folders, expected 1`);
  const folder = message.folders[0]!;
  if (folder.transactions.length !== 1) return fail(`${folder.transactions.length} transactions, expected 1`);
  const tx = folder.transactions[0]!;
  const uri = idOf(tx.ids, 'LOCAL', VITALINK_URI_SL)?.value;
  const address = uri === undefined ? undefined : parseVitalinkUri(uri);
  if (address === undefined) return fail(`no valid vitalinkuri (${uri ?? 'none'})`);
  const patientId = idOf(folder.patient.ids, 'ID-PATIENT')?.value;
  if (patientId !== address.ssin) return fail('the patient id is not the vitalinkuri subject');
  const vaccines = tx.items.filter((i) => itemType(i) === 'vaccine');
  if (vaccines.length !== 1) return fail(`${vaccines.length} vaccine items, expected 1`);
  const item = vaccines[0]!;
  const registeredAt = tx.date !== undefined && tx.time !== undefined ? instantOf(tx.date, tx.time) : undefined;
  if (registeredAt === undefined) return fail(`the transaction date/time ${tx.date ?? '-'} ${tx.time ?? '-'} is not an instant`);
  const administeredOn = item.beginmoment?.date;
  if (administeredOn === undefined) return fail('no beginmoment/date');
  const doctor = tx.authors.find((a) => codeOf(a.cds, 'CD-HCPARTY')?.value.toLowerCase() === 'persphysician');
  const responsibleNihii = doctor === undefined ? undefined : idOf(doctor.ids, 'ID-HCPARTY')?.value;
  const p = folder.patient;
  return {
    ok: true,
    vaccination: {
      address,
      registeredAt,
      ...(responsibleNihii !== undefined && { responsibleNihii }),
      product: productOf(item.contents, item.texts[0]?.value),
      administeredOn,
      ...(item.quantity !== undefined && { quantity: item.quantity.decimal }),
      ...(item.batch !== undefined && { lot: item.batch }),
    },
    patient: {
      ...(p.firstnames[0] !== undefined && p.firstnames[0] !== NO_NAME && { firstname: p.firstnames[0] }),
      ...(p.familyname !== undefined && p.familyname !== NO_NAME && { familyname: p.familyname }),
      ...(p.birthdate !== undefined && { birthdate: p.birthdate }),
      ...(p.sex !== undefined && { sex: p.sex.value }),
    },
  };
}

function productOf(contents: readonly Content[], text: string | undefined): VitalinkProduct {
  const medicinal = contents.find((c) => c.kind === 'medicinalproduct');
  const cnk = medicinal && codeOf(medicinal.intendedcds, 'CD-DRUG-CNK')?.value;
  const codes = contents.flatMap((c) => (c.kind === 'cd' ? c.cds : []));
  const written = cnk !== undefined ? medicinal?.intendedname : text;
  const name = written === NO_NAME ? undefined : written;
  const atc = codeOf(codes, 'CD-ATC')?.value;
  const vaccinnetCode = codeOf(codes, 'LOCAL', 'VACCINNETCODE')?.value;
  return {
    ...(cnk !== undefined && { cnk }),
    ...(name !== undefined && { name }),
    ...(vaccinnetCode !== undefined && { vaccinnetCode }),
    ...(atc !== undefined && { atc }),
    indications: codes.filter((c) => c.s.toUpperCase() === 'CD-VACCINEINDICATION').map((c) => c.value),
  };
}

function fail(problem: string): VitalinkRead {
  return { ok: false, problem };
}
