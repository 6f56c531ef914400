import type { VaccineReference } from '../kmehr/codelists/index.js';
import type { Code, Content, KmehrMessage } from '../kmehr/model.js';
import { writeKmehr } from '../kmehr/write-kmehr.js';

export interface RegistrationInput {
  /** The registering doctor (header/sender): NIHII-11 and, from the certificate, SSIN and name. */
  readonly sender: { readonly nihii: string; readonly ssin?: string; readonly name?: string };
  /** The responsible doctor (transaction/author); for a HAIO its stagemeester. Default: the sender. */
  readonly authorNihii?: string;
  readonly patient: { readonly insz: string; readonly firstname?: string; readonly familyname?: string; readonly birthdate?: string };
  /** CNK of the administered product, or a Vaccinnet code (e.g. `COVID-19/MDRNA001`). */
  readonly product: { readonly cnk: string } | { readonly vaccinnetCode: string };
  /** Administration date, YYYY-MM-DD. */
  readonly date: string;
  readonly lot?: string;
  readonly quantity?: string;
  /** Registration moment: date and time in the registry's zone. */
  readonly now: { readonly date: string; readonly time: string; readonly millis: number };
}

const cd = (s: string, value: string, extra: Partial<Code> = {}): Code => ({ s, sv: '1.0', value, ...extra });

/**
 * The KMEHR message a doctor's software sends for one administered dose (kmehr-vaccination.md): header with the
 * doctor as sender and the registry (orgpublichealth, VAZG) as recipient, one folder, one `vaccination` transaction
 * whose vaccine item names the product by CNK (with its package name) or Vaccinnet code, completed with the ATC code
 * and indications from the reference table.
 */
export function buildRegistrationMessage(input: RegistrationInput, reference: VaccineReference): KmehrMessage {
  const product = 'cnk' in input.product ? reference.byCnk(input.product.cnk) : reference.byVaccinnetCode(input.product.vaccinnetCode);
  const contents: Content[] = [];
  if ('cnk' in input.product) {
    contents.push({
      kind: 'medicinalproduct',
      intendedcds: [cd('CD-DRUG-CNK', input.product.cnk)],
      ...(product?.name && { intendedname: product.name }),
    });
  }
  const codes: Code[] = [
    ...(product?.indications ?? []).map((i) => cd('CD-VACCINEINDICATION', i)),
    ...(product?.atc ? [cd('CD-ATC', product.atc)] : []),
    ...('vaccinnetCode' in input.product ? [cd('LOCAL', input.product.vaccinnetCode, { sl: 'VACCINNETCODE' })] : []),
  ];
  if (codes.length > 0) contents.push({ kind: 'cd', cds: codes });
  const doctor = (nihii: string, withSsin: boolean) => ({
    ids: [{ s: 'ID-HCPARTY', sv: '1.0', value: nihii }, ...(withSsin && input.sender.ssin ? [{ s: 'INSS', sv: '1.0', value: input.sender.ssin }] : [])],
    cds: [cd('CD-HCPARTY', 'persphysician')],
    ...(withSsin && input.sender.name ? { name: input.sender.name } : { name: `NIHII ${nihii}` }),
  });
  return {
    header: {
      standard: cd('CD-STANDARD', '20120701'),
      ids: [{ s: 'ID-KMEHR', sv: '1.0', value: `${input.sender.nihii}.${input.now.millis}` }],
      date: input.now.date,
      time: input.now.time,
      senders: [doctor(input.sender.nihii, true)],
      recipients: [{ ids: [], cds: [cd('CD-HCPARTY', 'orgpublichealth')], name: 'VAZG' }],
    },
    folders: [
      {
        ids: [{ s: 'ID-KMEHR', sv: '1.0', value: '1' }],
        patient: {
          ids: [{ s: 'ID-PATIENT', sv: '1.0', value: input.patient.insz }],
          firstnames: [input.patient.firstname ?? '-'],
          familyname: input.patient.familyname ?? '-',
          ...(input.patient.birthdate && { birthdate: input.patient.birthdate }),
          sex: cd('CD-SEX', 'unknown'),
        },
        transactions: [
          {
            ids: [{ s: 'ID-KMEHR', sv: '1.0', value: '1' }],
            cds: [cd('CD-TRANSACTION', 'vaccination')],
            date: input.now.date,
            time: input.now.time,
            authors: [doctor(input.authorNihii ?? input.sender.nihii, input.authorNihii === undefined)],
            iscomplete: true,
            isvalidated: true,
            items: [
              {
                ids: [{ s: 'ID-KMEHR', sv: '1.0', value: '1' }],
                cds: [cd('CD-ITEM', 'vaccine')],
                contents,
                texts: [],
                authors: [],
                beginmoment: { date: input.date },
                lifecycle: cd('CD-LIFECYCLE', 'administrated'),
                quantity: { decimal: input.quantity ?? '1' },
                ...(input.lot && { batch: input.lot }),
              },
            ],
            texts: [],
            links: [],
          },
        ],
      },
    ],
  };
}

export function writeRegistrationMessage(input: RegistrationInput, reference: VaccineReference): string {
  return writeKmehr(buildRegistrationMessage(input, reference));
}
