import { type Code, type Content, type Item, type KmehrMessage, type Transaction } from '../kmehr/model.js';
import { NO_NAME } from '../kmehr/vitalink-vaccination.js';
import type { Person } from './person.js';
import type { Vaccination } from './vaccination.js';

export interface HistoryMessageInput {
  readonly patientInsz: string;
  /** From the person register when known; the message then carries names, birth date and sex. */
  readonly person?: Person;
  readonly vaccinations: readonly Vaccination[];
  /** Registration moment of this answer (ISO-8601 UTC) and its date/time in the registry's zone. */
  readonly date: string;
  readonly time: string;
  /** A unique message id (`header/id[@S='ID-KMEHR']`). */
  readonly messageId: string;
  /** Who asked: put in `recipient` so the answer says for whom it was made. */
  readonly recipient: { readonly nihii?: string; readonly ssin?: string; readonly name?: string };
}

const cd = (s: string, value: string, extra: Partial<Code> = {}): Code => ({ s, sv: '1.0', value, ...extra });

/** Where the registry's own VaccinationId goes in a transaction: a LOCAL id (our choice; Vitalink uses `vitalinkuri`). */
export const VACCINATION_ID_SL = 'vaccinnet-vaccinationid';

function vaccineItem(v: Vaccination): Item {
  const contents: Content[] = [];
  if (v.product.cnk) {
    contents.push({
      kind: 'medicinalproduct',
      intendedcds: [cd('CD-DRUG-CNK', v.product.cnk)],
      // The XSD requires an intendedname: "-" for a CNK the reference table has no name for, as the Vitalink read does.
      intendedname: v.product.name || NO_NAME,
    });
  }
  const codes: Code[] = [
    ...v.product.indications.map((i) => cd('CD-VACCINEINDICATION', i)),
    ...(v.product.atc ? [cd('CD-ATC', v.product.atc)] : []),
    ...(v.product.vaccinnetCode ? [cd('LOCAL', v.product.vaccinnetCode, { sl: 'VACCINNETCODE' })] : []),
  ];
  if (codes.length > 0) contents.push({ kind: 'cd', cds: codes });
  return {
    ids: [{ s: 'ID-KMEHR', sv: '1.0', value: '1' }],
    cds: [cd('CD-ITEM', 'vaccine')],
    contents,
    texts: [],
    authors: [],
    beginmoment: { date: v.administeredOn },
    lifecycle: cd('CD-LIFECYCLE', 'administrated'),
    ...(v.quantity !== undefined && { quantity: { decimal: v.quantity } }),
    ...(v.lot !== undefined && { batch: v.lot }),
  };
}

/**
 * GetVaccinations answer (wire-contracts.md §1): one KMEHR message, one folder for the patient, one `vaccination`
 * transaction per active vaccination (our choice), each carrying the registry's VaccinationId as a LOCAL id so a
 * caller can remove it. Products are written from the resolved reference data, so the answer is XSD-valid even when
 * the original submission was lenient.
 */
export function buildHistoryMessage(input: HistoryMessageInput): KmehrMessage {
  const transactions = input.vaccinations.map((v, i): Transaction => {
    const [date, time] = v.registeredAt.split('T');
    return {
      ids: [
        { s: 'ID-KMEHR', sv: '1.0', value: String(i + 1) },
        { s: 'LOCAL', sv: '1.0', sl: VACCINATION_ID_SL, value: v.id },
      ],
      cds: [cd('CD-TRANSACTION', 'vaccination')],
      date: date!,
      time: (time ?? '00:00:00').slice(0, 8),
      authors: [
        v.responsibleNihii
          ? { ids: [{ s: 'ID-HCPARTY', sv: '1.0', value: v.responsibleNihii }], cds: [cd('CD-HCPARTY', 'persphysician')] }
          : { ids: [], cds: [cd('CD-HCPARTY', 'orgpublichealth')], name: 'Vaccinnet' },
      ],
      iscomplete: true,
      isvalidated: true,
      items: [vaccineItem(v)],
      texts: [],
      links: [],
    };
  });
  const p = input.person;
  const recipientIds = [
    ...(input.recipient.nihii ? [{ s: 'ID-HCPARTY', sv: '1.0', value: input.recipient.nihii }] : []),
    ...(input.recipient.ssin ? [{ s: 'INSS', sv: '1.0', value: input.recipient.ssin }] : []),
  ];
  return {
    header: {
      standard: cd('CD-STANDARD', '20161201'),
      ids: [{ s: 'ID-KMEHR', sv: '1.0', value: input.messageId }],
      date: input.date,
      time: input.time,
      senders: [{ ids: [], cds: [cd('CD-HCPARTY', 'orgpublichealth')], name: 'Vaccinnet' }],
      recipients: [
        {
          ids: recipientIds,
          cds: [cd('CD-HCPARTY', input.recipient.nihii || input.recipient.ssin ? 'persphysician' : 'application')],
          name: input.recipient.name ?? 'caller',
        },
      ],
    },
    folders: [
      {
        ids: [{ s: 'ID-KMEHR', sv: '1.0', value: '1' }],
        patient: {
          ids: [{ s: 'ID-PATIENT', sv: '1.0', value: input.patientInsz }],
          firstnames: [p?.firstname ?? '-'],
          familyname: p?.familyname ?? '-',
          ...(p?.birthdate && { birthdate: p.birthdate }),
          sex: cd('CD-SEX', p?.sex ?? 'unknown'),
        },
        transactions,
      },
    ],
  };
}
