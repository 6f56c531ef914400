import type { Command } from 'commander';
import { defaultVaccineReference } from '../kmehr/codelists/index.js';
import { checkInsz } from '../kmehr/identifiers/index.js';
import { parseKmehr } from '../kmehr/parse-kmehr.js';
import { writeRegistrationMessage } from '../client/registration-message.js';
import { SoapFaultError, type Status } from '../client/registratie-responses.js';
import { VACCINATION_ID_SL } from '../registry/history-message.js';
import { localDate } from '../registry/system-clock.js';
import { COMMAND_SUMMARIES } from './command-summaries.js';
import type { SetExitCode } from './commands.js';
import { addCallOptions, openClient, UsageError, type CallOptions } from './client-options.js';
import { vitalinkGet } from './vitalink-get.js';

const ACCEPTED = new Set(['OK', 'OK_WITH_WARNINGS']);
const ZONE = 'Europe/Brussels';

interface RegisterOptions extends CallOptions {
  readonly patient: string;
  readonly cnk?: string;
  readonly code?: string;
  readonly date: string;
  readonly lot?: string;
  readonly nihii?: string;
  readonly stagemeester?: string;
  readonly quantity?: string;
  readonly json?: boolean;
}

function printStatus(label: string, s: Status): void {
  // The service's message may itself start with the code ("CODE: text"); print the code once.
  const message = s.message?.startsWith(`${s.code}: `) ? s.message.slice(s.code.length + 2) : s.message;
  process.stdout.write(`${label}: ${s.code}${message ? ` — ${message}` : ''}\n`);
}

/** Runs a command body, mapping usage errors to exit 2, faults and transport errors to 1 with a clear line. */
async function run(setExitCode: SetExitCode, body: () => Promise<number>): Promise<void> {
  try {
    setExitCode(await body());
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`vaccinnet: ${error.message}\n`);
      setExitCode(2);
    } else if (error instanceof SoapFaultError) {
      process.stderr.write(`refused (SOAP fault ${error.faultcode}): ${error.message}\n`);
      setExitCode(1);
    } else {
      const e = error as NodeJS.ErrnoException;
      process.stderr.write(`vaccinnet: cannot reach the registry: ${e.code ?? ''} ${e.message}\n`);
      setExitCode(1);
    }
  }
}

function nowParts(): { date: string; time: string; millis: number } {
  const now = new Date();
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(now);
  return { date: localDate(now, ZONE), time, millis: now.getTime() };
}

/** `vaccinnet register | get | remove`: the doctor's side of RegistratieService (issue 4 §4). */
export function registerRegistratieCommands(program: Command, setExitCode: SetExitCode): void {
  addCallOptions(
    program
      .command('register')
      .description(COMMAND_SUMMARIES.register.summary)
      .requiredOption('--patient <insz>', "the patient's INSZ/SSIN")
      .option('--cnk <cnk>', 'CNK of the product, e.g. 4293254 (Comirnaty)')
      .option('--code <code>', 'Vaccinnet code instead of a CNK, e.g. COVID-19/MDRNA001')
      .requiredOption('--date <yyyy-mm-dd>', 'administration date')
      .option('--lot <lot>', 'lot number (mandatory for COVID-19)')
      .option('--nihii <nihii>', 'your NIHII-11 (KMEHR sender and author); or VACCINNET_NIHII', process.env.VACCINNET_NIHII)
      .option('--stagemeester <nihii>', 'HAIO: NIHII of your stagemeester (the KMEHR author)')
      .option('--quantity <n>', 'number of doses', '1')
      .option('--json', 'print the answer as JSON'),
  ).action((o: RegisterOptions) =>
    run(setExitCode, async () => {
      if (!o.cnk === !o.code) throw new UsageError('give exactly one of --cnk or --code');
      if (!o.nihii) throw new UsageError('your NIHII is needed for the KMEHR sender: --nihii or VACCINNET_NIHII');
      if (!/^\d{4}-\d{2}-\d{2}$/.test(o.date)) throw new UsageError(`--date must be YYYY-MM-DD, got ${o.date}`);
      const { client, ssin, name } = openClient(o);
      try {
        const kmehr = writeRegistrationMessage(
          {
            sender: { nihii: o.nihii, ...(ssin && { ssin }), ...(name && { name }) },
            ...(o.stagemeester && { authorNihii: o.stagemeester }),
            patient: { insz: o.patient },
            product: o.cnk ? { cnk: o.cnk } : { vaccinnetCode: o.code! },
            date: o.date,
            ...(o.lot && { lot: o.lot }),
            ...(o.quantity && { quantity: o.quantity }),
            now: nowParts(),
          },
          defaultVaccineReference(),
        );
        const result = await client.addVaccinations({ softwareId: o.softwareId, patientId: o.patient, messages: [{ kmehr }] });
        if (o.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        else {
          printStatus('call', result.status);
          for (const r of result.results) {
            printStatus(`message ${r.kmehrId}`, r.status ?? { code: '', message: '' });
            if (r.vaccinationId) process.stdout.write(`VaccinationId: ${r.vaccinationId.value}\n`);
          }
        }
        return ACCEPTED.has(result.status.code) && result.results.every((r) => !r.status || ACCEPTED.has(r.status.code)) ? 0 : 1;
      } finally {
        client.close();
      }
    }),
  );

  addCallOptions(
    program
      .command('get')
      .description(COMMAND_SUMMARIES.get.summary)
      .requiredOption('--patient <insz>', "the patient's INSZ/SSIN")
      .option('--since <yyyy-mm-dd>', 'only vaccinations administered on or after this date')
      .option('--kmehr', 'print the KMEHR message as returned')
      .option('--json', 'print the vaccinations as JSON')
      .option('--vitalink', 'read through the KMEHR read over mutual TLS instead: one Vitalink-shaped message per vaccination'),
  ).action((o: CallOptions & { patient: string; since?: string; kmehr?: boolean; json?: boolean; vitalink?: boolean }) =>
    run(setExitCode, async () => {
      if (o.vitalink) return await vitalinkGet(o, maskShown(o.patient));
      const { client } = openClient(o);
      try {
        const result = await client.getVaccinations({
          softwareId: o.softwareId,
          patientId: o.patient,
          ...(o.since && { vaccinationDateSince: o.since }),
        });
        if (!ACCEPTED.has(result.status.code)) {
          printStatus('refused', result.status);
          return 1;
        }
        if (o.kmehr) {
          process.stdout.write(`${result.kmehr ?? ''}\n`);
          return 0;
        }
        const rows = result.kmehr ? historyRows(result.kmehr) : [];
        if (o.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        else if (rows.length === 0) process.stdout.write('no vaccinations registered\n');
        else {
          process.stdout.write(`${rows.length} vaccination(s) of ${maskShown(o.patient)}:\n`);
          for (const r of rows) process.stdout.write(`  ${r.date}  ${r.product.padEnd(44)}  lot ${r.lot ?? '-'}  ${r.vaccinationId}\n`);
        }
        return 0;
      } finally {
        client.close();
      }
    }),
  );

  addCallOptions(
    program
      .command('remove')
      .description(COMMAND_SUMMARIES.remove.summary)
      .requiredOption('--patient <insz>', "the patient's INSZ/SSIN")
      .requiredOption('--id <vaccinationId>', 'the VaccinationId AddVaccinations answered'),
  ).action((o: CallOptions & { patient: string; id: string }) =>
    run(setExitCode, async () => {
      const { client } = openClient(o);
      try {
        const result = await client.removeVaccination({ softwareId: o.softwareId, patientId: o.patient, vaccinationId: o.id });
        printStatus('remove', result.status);
        return ACCEPTED.has(result.status.code) ? 0 : 1;
      } finally {
        client.close();
      }
    }),
  );
}

function maskShown(insz: string): string {
  return checkInsz(insz, '9999-12-31').ok ? `${insz.slice(0, 6)}*****` : insz;
}

interface HistoryRow {
  readonly date: string;
  readonly product: string;
  readonly lot?: string;
  readonly vaccinationId: string;
}

function historyRows(kmehr: string): HistoryRow[] {
  const parsed = parseKmehr(kmehr);
  if (!parsed.ok) throw new Error(`the registry answered an unreadable KMEHR message: ${parsed.findings[0]?.message}`);
  return parsed.message.folders.flatMap((f) =>
    f.transactions.map((t) => {
      const item = t.items[0];
      const product = item?.contents.flatMap((c) =>
        c.kind === 'medicinalproduct'
          ? [c.intendedname ?? c.intendedcds[0]?.value ?? '']
          : c.kind === 'cd'
            ? c.cds.filter((x) => x.s === 'LOCAL' || x.s === 'CD-ATC').map((x) => x.value)
            : [],
      );
      return {
        date: item?.beginmoment?.date ?? '?',
        product: product?.[0] ?? '?',
        ...(item?.batch && { lot: item.batch }),
        vaccinationId: t.ids.find((i) => i.sl === VACCINATION_ID_SL)?.value ?? '?',
      };
    }),
  );
}
