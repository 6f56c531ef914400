import { idOf, itemType, locate, type Folder, type Header, type KmehrMessage, type Transaction } from '../kmehr/model.js';
import { checkHeader, checkTransactionOnly, type RuleContext } from '../kmehr/rules/check-message.js';
import { patientInszRule } from '../kmehr/rules/patient-insz-rule.js';
import { streamKmehr } from '../kmehr/stream-kmehr.js';
import type { XmlLimits } from '../kmehr/xml-limits.js';
import { checkAuthor, checkSender } from '../registry/check-parties.js';
import { submittedPatientData, type SubmittedPatientData } from '../registry/patient-data.js';
import type { Profile } from '../registry/profile.js';
import { newVaccination } from '../registry/new-vaccination.js';
import type { SliceTransaction } from '../registry/register-slice.js';
import { patientText } from '../contracts/patient-text.js';
import { finding, hasErrors, type Finding } from '../status/finding.js';
import { resultHead } from './result-entries.js';
import { submittedIds } from './stored-findings.js';

/**
 * One submitted transaction after the rules that need no stored state, as the registry's bulk use case takes it
 * (registry/register-slice.ts), plus what the batch channel reports about it: plain data (strings, numbers, arrays),
 * so a slice of them crosses from the planning thread to the one that stores it (planner-thread/) cheaply.
 */
export interface PlannedTransaction extends SliceTransaction {
  /** Position in the delivery, counting every transaction of every folder. */
  readonly ordinal: number;
  /** The result's part the message decides (resultHead): ordinal, ids and patient as submitted. */
  readonly result: string;
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
  #lastFolder: Folder | undefined;
  #lastFolderIds = '';
  #lastPatient: SubmittedPatientData = {};

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
    const result = resultHead(
      ordinal,
      f,
      t,
      this.#folderIds(folder),
      insz ?? '',
      patientText(folder.patient) ?? null,
      JSON.stringify(submittedIds(transaction.ids)),
    );
    // One shape for every planned transaction (no conditional spreads: this runs for every dose).
    const patient = this.#patientData(folder);
    const item = vaccineItem >= 0 ? transaction.items[vaccineItem] : undefined;
    const vaccineDate = item?.beginmoment?.date;
    const planned = (findings: Finding[], vaccination?: PlannedTransaction['vaccination']): PlannedTransaction => ({
      ordinal,
      f,
      t,
      insz,
      vaccineItem,
      vaccineDate,
      result,
      patient,
      findings,
      vaccination,
    });
    if (callFinding || !profile) return planned([callFinding ?? finding('PROFILE_NONE')]);
    const findings: Finding[] = [...this.#headerFindings, ...patientInszRule(message, f, this.#ctx), ...checkTransactionOnly(message, f, t, this.#ctx)];
    if (!patientId) findings.push(finding('KMEHR_FIELD_MISSING', { location: `${locate.patient(f)}/id`, params: { field: 'patient/id[@S=ID-PATIENT]' } }));
    const author = checkAuthor(transaction, f, t, profile);
    findings.push(...author.findings);
    if (insz === undefined || !item || !vaccineDate || hasErrors(findings)) return planned(findings);
    // The registry's one way to make the dose (new-vaccination.ts); its id and registration time are given when stored.
    const source = {
      insz,
      transaction,
      item,
      administeredOn: vaccineDate,
      f,
      t,
      messageId: this.#messageId,
      registrantKey: profile.key,
      responsibleNihii: author.responsibleNihii,
      softwareId: this.#job.softwareId,
      channel: 'batch' as const,
      reference: this.#ctx.reference,
    };
    return planned(findings, newVaccination(source, '', ''));
  }

  /** The folder's ids as submitted (JSON), made once for all of its transactions. */
  #folderIds(folder: Folder): string {
    if (this.#lastFolder !== folder) {
      this.#lastFolder = folder;
      this.#lastFolderIds = JSON.stringify(submittedIds(folder.ids));
      this.#lastPatient = submittedPatientData(folder.patient);
    }
    return this.#lastFolderIds;
  }

  /** The folder's patient data, made once for all of its transactions (with its ids, in #folderIds). */
  #patientData(folder: Folder): SubmittedPatientData {
    this.#folderIds(folder);
    return this.#lastPatient;
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
