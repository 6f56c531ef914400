import { idOf, itemType, locate, type Folder, type Header, type KmehrMessage, type Transaction } from '../kmehr/model.js';
import { checkHeader, checkTransactionOnly, type RuleContext } from '../kmehr/rules/check-message.js';
import { patientInszRule } from '../kmehr/rules/patient-insz-rule.js';
import { streamKmehr } from '../kmehr/stream-kmehr.js';
import { writeItem } from '../kmehr/write-kmehr.js';
import type { XmlLimits } from '../kmehr/xml-limits.js';
import { checkAuthor, checkSender } from '../registry/check-parties.js';
import { submittedPatientData, type SubmittedPatientData } from '../registry/patient-data.js';
import type { Profile } from '../registry/profile.js';
import { contentDigest } from '../registry/content-digest.js';
import { senderKey } from '../registry/register-vaccinations.js';
import type { NewVaccination } from '../registry/vaccination.js';
import { vaccineProduct } from '../registry/vaccine-product.js';
import { patientText } from '../contracts/patient-text.js';
import { finding, hasErrors, type Finding } from '../status/finding.js';
import type { VaccinationsTable } from '../store/database.js';
import { vaccinationRow } from '../store/rows.js';
import { resultHead } from './result-entries.js';
import { submittedIds } from './stored-findings.js';

/**
 * One submitted transaction after the rules that need no stored state: plain data (strings, numbers, arrays), so a
 * slice of them crosses from the planning thread to the one that stores it (planner-thread/) cheaply, and that thread
 * only completes and binds rows made here.
 */
export interface PlannedTransaction {
  /** Position in the delivery, counting every transaction of every folder. */
  readonly ordinal: number;
  readonly f: number;
  readonly t: number;
  readonly insz: string | undefined;
  /** Index of the vaccine item in the transaction, -1 when there is none. */
  readonly vaccineItem: number;
  readonly findings: Finding[];
  /** The result's part the message decides (resultHead): ordinal, ids and patient as submitted. */
  readonly result: string;
  /** The folder's patient data that can contradict the person register (PATIENT_DATA_MISMATCH), shared per folder. */
  readonly patient: SubmittedPatientData;
  /**
   * Present when the transaction passed these rules and can be stored: the vaccination's row in
   * BATCH_VACCINATION_COLUMNS order, its registry id and registration time still null — they are given when the
   * slice is stored (ids come from the registry's id generator, the time from its clock).
   */
  readonly row: unknown[] | undefined;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

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
    const planned = (findings: Finding[], row?: unknown[]): PlannedTransaction => ({ ordinal, f, t, insz, vaccineItem, result, patient, findings, row });
    if (callFinding || !profile) return planned([callFinding ?? finding('PROFILE_NONE')]);
    const findings: Finding[] = [...this.#headerFindings, ...patientInszRule(message, f, this.#ctx), ...checkTransactionOnly(message, f, t, this.#ctx)];
    if (!patientId) findings.push(finding('KMEHR_FIELD_MISSING', { location: `${locate.patient(f)}/id`, params: { field: 'patient/id[@S=ID-PATIENT]' } }));
    const author = checkAuthor(transaction, f, t, profile);
    findings.push(...author.findings);
    const item = vaccineItem >= 0 ? transaction.items[vaccineItem] : undefined;
    const date = item?.beginmoment?.date;
    if (insz === undefined || !item || !date || hasErrors(findings)) return planned(findings);
    const local = idOf(transaction.ids, 'LOCAL')?.value;
    // Optional fields assigned, not spread from conditional literals (as register-vaccinations.ts does).
    const vaccination: Mutable<NewVaccination> = {
      id: '',
      registeredAt: '',
      patientInsz: insz,
      product: vaccineProduct(item, this.#ctx.reference),
      administeredOn: date,
      registrantKey: profile.key,
      softwareId: this.#job.softwareId,
      channel: 'batch',
      senderKey: senderKey(this.#messageId, transaction, f, t),
      itemXml: writeItem(item),
    };
    if (item.quantity) vaccination.quantity = item.quantity.decimal;
    if (item.batch !== undefined) vaccination.lot = item.batch;
    if (author.responsibleNihii !== undefined) vaccination.responsibleNihii = author.responsibleNihii;
    if (this.#messageId !== undefined) vaccination.senderMessageId = this.#messageId;
    if (local !== undefined) vaccination.senderLocalId = local;
    vaccination.contentDigest = contentDigest(vaccination);
    // The registry's one row mapping (store/rows.ts), laid out as the slice binds it.
    return planned(findings, batchRow(vaccinationRow(vaccination)));
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

/**
 * A vaccination row as the slice binds it: BATCH_VACCINATION_COLUMNS order, id and registration time null (given
 * when stored). Spelled out rather than mapped over the column names: a keyed read per column cost ~5 % of planning.
 */
function batchRow(r: VaccinationsTable): unknown[] {
  return [
    r.patient_insz,
    null,
    r.cnk,
    r.product_name,
    r.vaccinnet_code,
    r.atc,
    r.indications,
    r.vaccine_group,
    r.administered_on,
    r.quantity,
    r.lot,
    r.registrant_key,
    r.responsible_nihii,
    r.software_id,
    r.channel,
    r.sender_message_id,
    r.sender_local_id,
    r.sender_key,
    null,
    r.item_xml,
    r.content_digest,
  ];
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
