import { idOf, locate, type Folder, type KmehrMessage } from '../kmehr/model.js';
import { checkMessage, checkTransaction, type RuleContext } from '../kmehr/rules/check-message.js';
import { vaccineItems } from '../kmehr/rules/vaccine-items.js';
import { finding, hasErrors, type Finding } from '../status/finding.js';
import type { NewAuditEntry } from './audit-entry.js';
import { authoriseCaller } from './authorise-caller.js';
import type { CallerIdentity } from './caller-identity.js';
import { checkAuthor, checkSender } from './check-parties.js';
import { sameContent } from './content-digest.js';
import type { AuditFor, InsertResult } from './ports.js';
import { submittedPatientData, type RegisteredPatient, type SubmittedPatientData } from './patient-data.js';
import { newVaccination } from './new-vaccination.js';
import { auditPatientKey } from './patient-id.js';
import type { Profile } from './profile.js';
import type { RegistryPorts } from './registry-ports.js';
import { doseKeyOf, probableDuplicateFinding } from './rules/probable-duplicate.js';
import { registeredPersonFindings } from './rules/registered-person.js';
import { senderIdsVerdict } from './rules/sender-ids-replay.js';
import { localDate } from './system-clock.js';
import type { Channel, NewVaccination } from './vaccination.js';

export interface RegisterVaccinationsCommand {
  readonly caller: CallerIdentity;
  /** SoftwareId (RegistratieService) or extraInfo/pakket (BatchUpload), as sent. */
  readonly softwareId: string;
  readonly channel: Channel;
  /** Parsed messages: 1..5 for one patient (RegistratieService), or one batch message of folders × transactions. */
  readonly messages: readonly KmehrMessage[];
  /** RegistratieService `PatientId`: must equal every folder's patient (rule 10). */
  readonly patientId?: string;
  /** Per message, AddVaccinations' `DisableStockChange` attribute when sent (stored with the vaccination). */
  readonly disableStockChange?: readonly (boolean | undefined)[];
}

/** Outcome of one transaction (one administered dose): the stored id, or why not. */
export interface TransactionResult {
  readonly folder: number;
  readonly transaction: number;
  /** The stored (or, on replay, the original) VaccinationId. */
  readonly vaccinationId?: string;
  /** True when the same sender ids were already stored with the same content: nothing new was written. */
  readonly replay: boolean;
  readonly findings: readonly Finding[];
}

/** Outcome of one submitted message: message-level findings (sender, message rules) and one result per transaction. */
export interface MessageResult {
  /** `header/id[@S='ID-KMEHR']`, echoed as KmehrId. */
  readonly kmehrId?: string;
  readonly findings: readonly Finding[];
  readonly transactions: readonly TransactionResult[];
}

export type RegisterOutcome =
  /** Refused as a whole (call-level status / foutCode): no profile, softwareID, …; nothing stored. */
  { readonly ok: false; readonly findings: readonly Finding[] } | { readonly ok: true; readonly profile: Profile; readonly messages: readonly MessageResult[] };

/** Every finding of a message result, message-level first: what a per-message Status reports. */
export function allFindings(result: MessageResult): Finding[] {
  return [...result.findings, ...result.transactions.flatMap((t) => t.findings)];
}

/**
 * Channels where a message is all-or-nothing (a doctor's message is one act; a FHIR Immunization is one message of
 * one dose); batch and CSV store per transaction.
 */
const ATOMIC_MESSAGE_CHANNELS: readonly Channel[] = ['registratie', 'web', 'fhir'];

interface Planned {
  readonly m: number;
  readonly f: number;
  readonly t: number;
  readonly findings: Finding[];
  vaccination?: NewVaccination;
  result?: InsertResult;
  /** Refused by what the store found (sender ids reused with other content); the store wrote its audit row. */
  auditedByStore?: boolean;
}

/**
 * Registers vaccinations (issue 3 §1): authorises the caller (rule 5, identity §3), checks each message's sender and
 * each transaction's author (rule 12), runs the message rules of the KMEHR core, then the rules that need stored
 * state (person known in register mode — rule 4; date not before the registered birth date — rule 9; PatientId =
 * patient — rule 10), and stores what passed. Replays of the same sender ids return the original VaccinationId
 * (rule 14, decided by a unique constraint in the store); same patient + group + date from another source is stored
 * with a PROBABLE_DUPLICATE warning. Every outcome is audited.
 * @param cmd - who, through which channel, with which parsed messages
 * @param ports - stores, clock, ids, reference table and settings
 * @example
 * const outcome = await registerVaccinations({ caller, softwareId: 'taktik_medispring', channel: 'registratie', messages: [msg], patientId }, ports);
 */
export async function registerVaccinations(cmd: RegisterVaccinationsCommand, ports: RegistryPorts): Promise<RegisterOutcome> {
  const now = ports.clock.now();
  const auth = await authoriseCaller(cmd.caller, cmd.softwareId, ports.profiles);
  if (!auth.ok) {
    await ports.audit.append(
      auditEntry(cmd, ports, now, auth.profile?.key ?? '', {
        action: 'refuse',
        outcome: auth.finding.code,
        patientInsz: auditPatientKey(cmd.patientId ?? firstPatient(cmd.messages)),
      }),
    );
    return { ok: false, findings: [auth.finding] };
  }
  const profile = auth.profile;
  const ctx: RuleContext = { today: localDate(now, ports.settings.timeZone), reference: ports.reference };
  const atomic = ATOMIC_MESSAGE_CHANNELS.includes(cmd.channel);

  const messageFindings: Finding[][] = [];
  const planned: Planned[] = [];
  for (const [m, message] of cmd.messages.entries()) {
    const sender = checkSender(message.header, profile);
    const mFindings: Finding[] = sender ? [sender] : [];
    if (atomic) mFindings.push(...checkMessage(message, ctx));
    messageFindings.push(mFindings);
    const messagePlans: Planned[] = [];
    for (const [f, folder] of message.folders.entries()) {
      const folderFindings = await checkFolder(folder, f, cmd.patientId, ports);
      for (const [t, transaction] of folder.transactions.entries()) {
        const findings = [...folderFindings.findings];
        if (!atomic) findings.push(...checkTransaction(message, f, t, ctx));
        const author = checkAuthor(transaction, f, t, profile);
        findings.push(...author.findings);
        const insz = folderFindings.insz;
        // Rule 7 refuses a transaction with more than one vaccine item: the first is the dose.
        const vaccine = vaccineItems(transaction)[0];
        if (insz !== undefined) {
          const patient = {
            f,
            t,
            insz,
            submitted: folderFindings.submitted,
            ...(vaccine && { vaccineItem: { i: vaccine.i, date: vaccine.item.beginmoment?.date } }),
          };
          findings.push(...registeredPersonFindings(patient, folderFindings.person, ports.settings.personCheck, [...mFindings, ...findings]));
        }
        const plan: Planned = { m, f, t, findings };
        const date = vaccine?.item.beginmoment?.date;
        if (insz !== undefined && vaccine && date) {
          const stockFlag = cmd.disableStockChange?.[m];
          const source = {
            insz,
            transaction,
            item: vaccine.item,
            administeredOn: date,
            f,
            t,
            messageId: idOf(message.header.ids, 'ID-KMEHR')?.value,
            registrantKey: profile.key,
            responsibleNihii: author.responsibleNihii,
            softwareId: cmd.softwareId,
            channel: cmd.channel,
            ...(stockFlag !== undefined && { disableStockChange: stockFlag }),
            reference: ports.reference,
          };
          plan.vaccination = newVaccination(source, ports.ids.vaccinationId(), now.toISOString());
        }
        messagePlans.push(plan);
      }
    }
    const messageBlocked = hasErrors(mFindings) || (atomic && messagePlans.some((p) => hasErrors(p.findings)));
    for (const plan of messagePlans) {
      if (messageBlocked || hasErrors(plan.findings) || !plan.vaccination) delete plan.vaccination;
      planned.push(plan);
    }
  }

  await storePlanned(planned, cmd, ports, profile, now);
  await auditRefusals(planned, messageFindings, cmd, ports, profile, now);

  const messages = cmd.messages.map((message, m): MessageResult => {
    const kmehrId = idOf(message.header.ids, 'ID-KMEHR')?.value;
    return {
      ...(kmehrId !== undefined && { kmehrId }),
      findings: messageFindings[m] ?? [],
      transactions: planned.filter((p) => p.m === m).map(toResult),
    };
  });
  return { ok: true, profile, messages };
}

interface FolderCheck {
  readonly findings: readonly Finding[];
  readonly insz?: string;
  readonly person?: RegisteredPatient;
  readonly submitted: SubmittedPatientData;
}

/** The folder's patient: its id (rule 10 against the request's PatientId) and its register entry, looked up once. */
async function checkFolder(folder: Folder, f: number, patientId: string | undefined, ports: RegistryPorts): Promise<FolderCheck> {
  const id = idOf(folder.patient.ids, 'ID-PATIENT') ?? idOf(folder.patient.ids, 'INSS');
  const location = `${locate.patient(f)}/id`;
  const submitted = submittedPatientData(folder.patient);
  if (!id) return { findings: [finding('KMEHR_FIELD_MISSING', { location, params: { field: 'patient/id[@S=ID-PATIENT]' } })], submitted };
  const insz = id.value;
  const findings: Finding[] = [];
  if (patientId !== undefined && patientId !== insz) {
    findings.push(finding('PATIENT_ID_MISMATCH', { location, value: patientId }));
  }
  const person = await ports.persons.findPerson(insz);
  return { findings, insz, submitted, ...(person && { person }) };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * One insert-or-return-existing per dose. The store finds each dose's probable duplicate as it inserts it (see
 * `VaccinationStore.insertVaccination`): the audit row names it and the answer carries the warning.
 */
async function storePlanned(planned: Planned[], cmd: RegisterVaccinationsCommand, ports: RegistryPorts, profile: Profile, now: Date): Promise<void> {
  const toStore = planned.filter((p): p is Planned & { vaccination: NewVaccination } => p.vaccination !== undefined);
  const audit = storedAudit(cmd, ports, profile, now);
  const results: readonly InsertResult[] =
    toStore.length === 1 && toStore[0]
      ? [await ports.vaccinations.insertVaccination(toStore[0].vaccination, audit)]
      : toStore.length > 0
        ? await ports.vaccinations.insertVaccinations(
            toStore.map((p) => p.vaccination),
            audit,
          )
        : [];
  for (const [n, p] of toStore.entries()) {
    const result = results[n];
    if (!result) continue;
    if (result.inserted) {
      p.result = result;
      if (result.sameDose) p.findings.push(probableDuplicateFinding(doseKeyOf(p.vaccination), result.sameDose, locate.transaction(p.f, p.t)));
    } else {
      const verdict = senderIdsVerdict(p.vaccination, result.vaccination, p.f, p.t);
      if (verdict.replay) p.result = result;
      // Reused ids with other content: the store wrote the refusal's audit row (storedAudit).
      else p.auditedByStore = true;
      p.findings.push(verdict.finding);
    }
  }
}

/** The audit row of a dose the store inserted or found stored. */
function storedAudit(cmd: RegisterVaccinationsCommand, ports: RegistryPorts, profile: Profile, now: Date): AuditFor {
  return (stored, inserted, sameDose, offered) =>
    !inserted && offered !== undefined && !sameContent(offered, stored)
      ? auditEntry(cmd, ports, now, profile.key, {
          action: 'refuse',
          outcome: 'SENDER_IDS_REUSED',
          patientInsz: stored.patientInsz,
          detail: `sender ids of vaccination ${stored.id} sent again with other content`,
        })
      : auditEntry(cmd, ports, now, profile.key, {
          action: inserted ? 'register' : 'replay',
          outcome: inserted ? (sameDose ? 'PROBABLE_DUPLICATE' : 'OK') : 'DUPLICATE_REPLAY',
          patientInsz: stored.patientInsz,
          vaccinationId: stored.id,
          detail: sameDose && inserted ? probableDuplicateFinding(doseKeyOf(stored), sameDose).message : undefined,
        });
}

function toResult(p: Planned): TransactionResult {
  const result = p.result;
  return {
    folder: p.f,
    transaction: p.t,
    ...(result && { vaccinationId: result.vaccination.id }),
    replay: result !== undefined && !result.inserted,
    findings: p.findings,
  };
}

/** One audit row per refused transaction (a refused message without transactions still gets one row). */
async function auditRefusals(
  planned: readonly Planned[],
  messageFindings: readonly Finding[][],
  cmd: RegisterVaccinationsCommand,
  ports: RegistryPorts,
  profile: Profile,
  now: Date,
): Promise<void> {
  for (const [m, message] of cmd.messages.entries()) {
    const plans = planned.filter((p) => p.m === m);
    const mErrors = (messageFindings[m] ?? []).filter((x) => x.severity === 'error');
    for (const p of plans) {
      if (p.result || p.auditedByStore) continue;
      const first = mErrors[0] ?? p.findings.find((x) => x.severity === 'error');
      const folder = message.folders[p.f];
      const insz = folder ? (idOf(folder.patient.ids, 'ID-PATIENT') ?? idOf(folder.patient.ids, 'INSS'))?.value : undefined;
      await ports.audit.append(
        auditEntry(cmd, ports, now, profile.key, {
          action: 'refuse',
          outcome: first?.code ?? 'INTERNAL_ERROR',
          patientInsz: auditPatientKey(insz ?? cmd.patientId),
          detail: `folder ${p.f + 1}, transaction ${p.t + 1}`,
        }),
      );
    }
    if (plans.length === 0 && mErrors[0]) {
      await ports.audit.append(
        auditEntry(cmd, ports, now, profile.key, { action: 'refuse', outcome: mErrors[0].code, patientInsz: auditPatientKey(cmd.patientId) }),
      );
    }
  }
}

function auditEntry(
  cmd: RegisterVaccinationsCommand,
  ports: RegistryPorts,
  now: Date,
  actor: string,
  what: Pick<NewAuditEntry, 'action' | 'outcome' | 'patientInsz'> & Partial<Pick<NewAuditEntry, 'vaccinationId' | 'detail'>>,
): NewAuditEntry {
  const entry: Mutable<NewAuditEntry> = {
    id: ports.ids.auditId(),
    at: now.toISOString(),
    actor,
    subject: cmd.caller.subject,
    channel: cmd.channel,
    softwareId: cmd.softwareId,
    action: what.action,
    outcome: what.outcome,
    patientInsz: what.patientInsz,
  };
  if (what.vaccinationId !== undefined) entry.vaccinationId = what.vaccinationId;
  if (what.detail !== undefined) entry.detail = what.detail;
  return entry;
}

function firstPatient(messages: readonly KmehrMessage[]): string | undefined {
  const patient = messages[0]?.folders[0]?.patient;
  return patient ? (idOf(patient.ids, 'ID-PATIENT') ?? idOf(patient.ids, 'INSS'))?.value : undefined;
}
