import type { Command } from 'commander';
import { parseCsvDate } from '../csv/csv-date.js';
import { maskInsz } from '../kmehr/identifiers/index.js';
import type { AuditEntry } from '../registry/audit-entry.js';
import { getHistory } from '../registry/get-history.js';
import { localDate } from '../registry/system-clock.js';
import type { Vaccination } from '../registry/vaccination.js';
import { registryPortsOf } from '../store/registry-ports-of.js';
import { RefusedError } from './admin/admin-errors.js';
import { formatTable } from './admin/format-table.js';
import { inszFindings } from './admin/identifier-findings.js';
import { print, storeAction } from './admin/store-action.js';
import { addStoreOptions, operatorName } from './admin/store-options.js';
import { UsageError } from './client-options.js';
import { COMMAND_SUMMARIES } from './command-summaries.js';
import type { SetExitCode } from './commands.js';
import { registrySettingsOf } from '../config/registry-settings-of.js';

/**
 * The channel recorded for an operator's read. `Channel` has no CLI member yet; the audit column is text, so the
 * truth is stored rather than pretending the read came through the web application.
 */
const CLI_CHANNEL = 'cli';

interface HistoryOptions {
  readonly since?: string;
  readonly audit?: boolean;
  readonly reason?: string;
}

function vaccinationRow(v: Vaccination): string[] {
  return [v.administeredOn, v.product.name ?? v.product.vaccinnetCode ?? v.product.cnk ?? '?', v.lot ?? '-', v.registrantKey, v.channel, v.id];
}

/** Certificate subjects of doctors carry their SSIN: mask it like every other INSZ we print. */
function maskSubject(subject: string): string {
  return subject.replace(/SSIN=(\d{11})/g, (_, ssin: string) => `SSIN=${maskInsz(ssin)}`);
}

function auditView(a: AuditEntry): AuditEntry {
  return { ...a, patientInsz: maskInsz(a.patientInsz), subject: maskSubject(a.subject) };
}

function auditRow(a: AuditEntry): string[] {
  return [a.at, a.action, a.outcome, a.actor || '-', a.channel, a.softwareId ?? '-', a.vaccinationId ?? '-', a.detail ?? ''];
}

/**
 * `vaccinnet history INSZ --reason TEXT [--since DATE] [--audit]`: the operator's view of a person's active
 * vaccinations, read through the same use case and read rule as GetVaccinations (an operator reads with a stated
 * reason; the read itself is audited under the operator's name, flagged ACCESS_OPERATOR_READ), and with
 * `--audit` everything the audit log holds about the person. Options as for `admin` (`--database`, `--json`, …).
 */
export function registerHistoryCommand(program: Command, setExitCode: SetExitCode): void {
  addStoreOptions(
    program
      .command('history')
      .description(COMMAND_SUMMARIES.history.summary)
      .argument('<insz>', "the person's INSZ/SSIN")
      .option('--since <yyyy-mm-dd>', 'only vaccinations administered on or after this date')
      .option('--audit', "also list the person's audit log: registrations, refusals, removals, reads and access changes")
      .option('--reason <text>', "why you read this person's data (required: recorded in the person's audit log, docs/access.md)"),
  ).action(
    storeAction<HistoryOptions>(setExitCode, async ({ options: o, args, store, config }) => {
      const insz = args[0]!;
      const operator = operatorName(o);
      if (o.since !== undefined && !(/^\d{4}-\d{2}-\d{2}$/.test(o.since) && parseCsvDate(o.since))) {
        throw new UsageError(`--since must be a date YYYY-MM-DD, got "${o.since}"`);
      }
      const findings = inszFindings(insz, 'the argument', localDate(new Date(), config.registry.timeZone));
      if (findings.length > 0) throw RefusedError.of(...findings);

      const ports = registryPortsOf(store, { settings: registrySettingsOf(config) });
      const outcome = await getHistory(
        {
          actor: { kind: 'operator', name: operator },
          channel: CLI_CHANNEL,
          insz,
          inszLocation: 'the argument',
          ...(o.since && { since: o.since }),
          ...(o.reason !== undefined && { reason: o.reason }),
        },
        ports,
      );
      if (!outcome.ok) throw RefusedError.of(...outcome.findings);
      const person = await store.persons.findPerson(insz);
      const audit = o.audit ? await store.audit.forPerson(insz) : undefined;

      if (o.json) {
        print(o, '', {
          person: person ? { ...person, insz: maskInsz(insz) } : null,
          vaccinations: outcome.vaccinations.map((v) => {
            const { itemXml: _item, ...rest } = v;
            return { ...rest, patientInsz: maskInsz(v.patientInsz) };
          }),
          ...(audit && { audit: audit.map(auditView) }),
        });
        return;
      }
      const who = person ? `${person.firstname} ${person.familyname}${person.birthdate ? `, born ${person.birthdate}` : ''}` : 'not in the person register';
      const lines = [`${maskInsz(insz)} (${who}): ${outcome.vaccinations.length} active vaccination(s)${o.since ? ` since ${o.since}` : ''}`];
      if (outcome.vaccinations.length > 0)
        lines.push(formatTable(['DATE', 'PRODUCT', 'LOT', 'REGISTRANT', 'CHANNEL', 'VACCINATIONID'], outcome.vaccinations.map(vaccinationRow)));
      if (audit) {
        lines.push(`audit log (${audit.length} entries):`);
        lines.push(formatTable(['AT', 'ACTION', 'OUTCOME', 'ACTOR', 'CHANNEL', 'SOFTWAREID', 'VACCINATIONID', 'DETAIL'], audit.map(auditRow)));
      }
      print(o, lines.map((l) => (l.endsWith('\n') ? l : `${l}\n`)).join(''), undefined);
    }),
  );
}
