import { idOf, itemType, locate, type Folder, type Header, type KmehrMessage, type Transaction } from '../kmehr/model.js';
import { checkHeader, checkTransactionOnly, type RuleContext } from '../kmehr/rules/check-message.js';
import { patientInszRule } from '../kmehr/rules/patient-insz-rule.js';
import { streamKmehr } from '../kmehr/stream-kmehr.js';
import { writeItem } from '../kmehr/write-kmehr.js';
import type { XmlLimits } from '../kmehr/xml-limits.js';
import { checkAuthor, checkSender } from '../registry/check-parties.js';
import type { Profile } from '../registry/profile.js';
import { senderKey } from '../registry/register-vaccinations.js';
import type { NewVaccination } from '../registry/vaccination.js';
import { vaccineProduct } from '../registry/vaccine-product.js';
import { patientText } from '../soap/batch/patient-text.js';
import { finding, hasErrors, type Finding } from '../status/finding.js';
import { submittedIds } from './stored-findings.js';

/**
 * The part of a vaccination the message alone decides. The registry id and the registration time are given when
 * the slice is stored (ids come from the registry's id generator, the time from its clock).
 */
export type PlannedVaccination = Omit<NewVaccination, 'id' | 'registeredAt'>;

/**
 * One submitted transaction after the rules that need no stored state: plain data, so a slice of them can cross
 * from the planning thread to the one that stores it (planner-thread/).
 */
export interface PlannedTransaction {
  /** Position in the delivery, counting every transaction of every folder. */
  readonly ordinal: number;
  readonly f: number;
  readonly t: number;
  /** The folder's and the transaction's ids as submitted, as stored in the result (JSON). */
  readonly folderIds: string;
  readonly transactionIds: string;
  readonly insz?: string;
  /** `patientTekst` of the result: the patient's name as submitted (soap/batch/patient-text.ts). */
  readonly patientText?: string;
  /** Index of the vaccine item in the transaction, -1 when there is none. */
  readonly vaccineItem: number;
  readonly findings: Finding[];
  /** Present when the transaction passed these rules and can be stored. */
  readonly vaccination?: PlannedVaccination;
}

/** Everything the planning needs besides the message: plain data, see PlannedTransaction. */
export interface PlanningJob {
  readonly profile?: Profile;
  /** The call-level refusal (no profile, inactive…): every transaction gets it. */
  readonly callFinding?: Finding;
  readonly softwareId: string;
  /** Today in the registry's time zone (rule 9: no date in the future). */
  readonly today: string;
  /** Transactions before this position already have a stored result (a resumed delivery). */
  readonly resumeAt: number;
}

/**
 * Turns the header and folders of a streamed delivery into planned transactions (rules of the message, the
 * caller's author and sender checks, the product, the vaccination row without id), in document order.
 */
export class SlicePlanner {
  readonly #job: PlanningJob;
  readonly #ctx: RuleContext;
  #header: Header | undefined;
  #headerFindings: Finding[] = [];
  #messageId: string | undefined;
  #ordinal = 0;

  constructor(job: PlanningJob, reference: RuleContext['reference']) {
    this.#job = job;
    this.#ctx = { today: job.today, reference };
  }

  header(h: Header): void {
    this.#header = h;
    this.#headerFindings = checkHeader({ header: h, folders: [] });
    const sender = this.#job.profile ? checkSender(h, this.#job.profile) : undefined;
    if (sender) this.#headerFindings.push(sender);
    this.#messageId = idOf(h.ids, 'ID-KMEHR')?.value;
  }

  /** The planned transactions of one folder (none for those before `resumeAt`). */
  folder(folder: Folder, f: number): PlannedTransaction[] {
    const header = this.#header;
    if (!header) throw new Error('a folder before the header');
    // A view of the message holding this folder at its own index: the rules address folders by index.
    const folders: Folder[] = [];
    folders[f] = folder;
    const message: KmehrMessage = { header, folders };
    const out: PlannedTransaction[] = [];
    for (let t = 0; t < folder.transactions.length; t++) {
      const ordinal = this.#ordinal++;
      if (ordinal >= this.#job.resumeAt) out.push(this.#plan(message, folder, folder.transactions[t]!, ordinal, f, t));
    }
    return out;
  }

  #plan(message: KmehrMessage, folder: Folder, transaction: Transaction, ordinal: number, f: number, t: number): PlannedTransaction {
    const { profile, callFinding } = this.#job;
    const patientId = idOf(folder.patient.ids, 'ID-PATIENT') ?? idOf(folder.patient.ids, 'INSS');
    const insz = patientId?.value;
    const vaccineItem = transaction.items.findIndex((i) => itemType(i) === 'vaccine');
    const name = patientText(folder.patient);
    const base = {
      ordinal, f, t, vaccineItem,
      folderIds: JSON.stringify(submittedIds(folder.ids)),
      transactionIds: JSON.stringify(submittedIds(transaction.ids)),
      ...(insz !== undefined && { insz }),
      ...(name !== undefined && { patientText: name }),
    };
    if (callFinding || !profile) return { ...base, findings: [callFinding ?? finding('PROFILE_NONE')] };
    const findings: Finding[] = [...this.#headerFindings, ...patientInszRule(message, f, this.#ctx), ...checkTransactionOnly(message, f, t, this.#ctx)];
    if (!patientId) findings.push(finding('KMEHR_FIELD_MISSING', { location: `${locate.patient(f)}/id`, params: { field: 'patient/id[@S=ID-PATIENT]' } }));
    const author = checkAuthor(transaction, f, t, profile);
    findings.push(...author.findings);
    const item = vaccineItem >= 0 ? transaction.items[vaccineItem] : undefined;
    const date = item?.beginmoment?.date;
    if (insz === undefined || !item || !date || hasErrors(findings)) return { ...base, findings };
    const local = idOf(transaction.ids, 'LOCAL')?.value;
    const vaccination: PlannedVaccination = {
      patientInsz: insz,
      product: vaccineProduct(item, this.#ctx.reference),
      administeredOn: date,
      ...(item.quantity && { quantity: item.quantity.decimal }),
      ...(item.batch !== undefined && { lot: item.batch }),
      registrantKey: profile.key,
      ...(author.responsibleNihii !== undefined && { responsibleNihii: author.responsibleNihii }),
      softwareId: this.#job.softwareId,
      channel: 'batch',
      ...(this.#messageId !== undefined && { senderMessageId: this.#messageId }),
      ...(local !== undefined && { senderLocalId: local }),
      senderKey: senderKey(this.#messageId, transaction, f, t),
      itemXml: writeItem(item),
    };
    return { ...base, findings, vaccination };
  }
}

/** Receives each planned slice in document order; the next slice is planned (or handed over) after it resolves. */
export type SliceConsumer = (slice: PlannedTransaction[]) => Promise<void>;

/**
 * Plans a delivery on the calling thread, slice by slice (small deliveries: a planning thread's hop is not worth
 * it; planner-thread/ plans big ones beside the thread that stores them). The same slices either way.
 * @throws FindingError when the message is refused while reading it
 */
export async function planInline(
  source: AsyncIterable<Buffer>,
  job: PlanningJob,
  reference: RuleContext['reference'],
  sliceSize: number,
  limits: XmlLimits,
  onSlice: SliceConsumer,
): Promise<void> {
  const planner = new SlicePlanner(job, reference);
  let slice: PlannedTransaction[] = [];
  await streamKmehr(
    source,
    {
      header: (h) => planner.header(h),
      folder: async (folder, f) => {
        for (const p of planner.folder(folder, f)) slice.push(p);
        if (slice.length < sliceSize) return;
        const full = slice;
        slice = [];
        await onSlice(full);
      },
    },
    limits,
  );
  if (slice.length > 0) await onSlice(slice);
}
