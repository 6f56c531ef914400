import type { Identifier, Item, KmehrMessage } from '../../kmehr/model.js';
import { buildHcParty, buildOrganisationParty, buildVaccinationMessage, cd } from '../../kmehr/testing/message-builder.js';
import type { Person } from '../person.js';
import type { Doctor, Organisation } from '../profile.js';
import { PATIENTS } from '../demo-personas.js';

export interface PersonaMessageOptions {
  /** Who is named in `header/sender`: a doctor (by NIHII) or an organisation (by user code and identifier). */
  readonly sender: Doctor | Organisation;
  /** Who is named in `transaction/author`; default: the sender when it is a doctor, else Dr. Peeters' default. */
  readonly author?: Doctor;
  readonly patient?: Person;
  /** `header/id[@S='ID-KMEHR']`; default unique per call. */
  readonly messageId?: string;
  /** Administration date (and transaction date); default 2024-03-01. */
  readonly date?: string;
  /** A LOCAL transaction id, as batch senders send. */
  readonly localId?: string;
  readonly item?: Partial<Item>;
}

let sequence = 0;

/** A valid vaccination message sent by a persona (builder defaults for the product: Comirnaty with a lot). */
export function personaMessage(opts: PersonaMessageOptions): KmehrMessage {
  const patient = opts.patient ?? PATIENTS.jan;
  const date = opts.date ?? '2024-03-01';
  const sender = 'nihii' in opts.sender ? doctorParty(opts.sender) : organisationParty(opts.sender);
  const author = opts.author ?? ('nihii' in opts.sender ? opts.sender : undefined);
  sequence += 1;
  const transactionIds: Identifier[] = [{ s: 'ID-KMEHR', sv: '1.0', value: '1' }];
  if (opts.localId) transactionIds.push({ s: 'LOCAL', sl: 'UUID', sv: '1.0', value: opts.localId });
  return buildVaccinationMessage({
    header: { ids: [{ s: 'ID-KMEHR', sv: '1.0', value: opts.messageId ?? `msg.${Date.now()}.${sequence}` }], senders: [sender] },
    patient: {
      ids: [{ s: 'ID-PATIENT', sv: '1.0', value: patient.insz }],
      firstnames: [patient.firstname],
      familyname: patient.familyname,
      birthdate: patient.birthdate,
      ...(patient.sex && { sex: cd('CD-SEX', patient.sex) }),
    },
    transaction: { ids: transactionIds, date, ...(author && { authors: [doctorParty(author)] }) },
    item: { beginmoment: { date }, ...opts.item },
  });
}

function doctorParty(d: Doctor): ReturnType<typeof buildHcParty> {
  return buildHcParty({ ids: [{ s: 'ID-HCPARTY', sv: '1.0', value: d.nihii }], firstname: d.firstname, familyname: d.familyname });
}

function organisationParty(o: Organisation): ReturnType<typeof buildHcParty> {
  return buildOrganisationParty({
    ids: [
      { s: 'LOCAL', sl: 'VACCINNET-USER', sv: '1.0', value: o.userCode },
      { s: idScheme(o.idType), sv: '1.0', value: o.id },
    ],
    name: o.name,
  });
}

/** The `hcparty/id` scheme an organisation's certificate identifier travels under. */
function idScheme(idType: string): string {
  const type = idType.toUpperCase();
  return type.startsWith('CBE') ? 'ID-CBE' : type === 'EHP' ? 'ID-EHP' : 'ID-HCPARTY';
}
