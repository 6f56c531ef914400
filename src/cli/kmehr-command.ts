import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { formatMessage } from '../status/catalogue.js';
import { hasErrors, type Finding } from '../status/finding.js';
import { defaultVaccineReference } from '../kmehr/codelists/index.js';
import { maskInsz } from '../kmehr/identifiers/index.js';
import { validateKmehr } from '../kmehr/validate-kmehr.js';
import { createXsdValidator, KMEHR_ROOT_XSD, type XsdValidator } from '../kmehr/xsd/xsd-validator.js';
import { localDate } from '../registry/system-clock.js';
import { COMMAND_SUMMARIES } from './command-summaries.js';

/** Exit codes of `vaccinnet kmehr validate` (as main.ts documents them for every command). */
const EXIT_VALID = 0;
const EXIT_REFUSED = 1;
const EXIT_USAGE = 2;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** One file's outcome as `--json` prints it. */
export interface FileValidation {
  readonly file: string;
  readonly valid: boolean;
  readonly findings: readonly Finding[];
}

class UsageError extends Error {}

/**
 * Adds `vaccinnet kmehr validate FILE... [--json] [--schema-dir DIR]`: the full check of KMEHR messages (screen,
 * XSD, parse, the registry's own rules) with today's date in Europe/Brussels and the shipped vaccine table.
 * Exit 0 when every file is valid, 1 when any is refused, 2 on usage errors (unreadable file, bad schema dir).
 */
export function registerKmehrCommands(program: Command, setExitCode: (code: number) => void): void {
  const kmehr = program.command('kmehr').description(COMMAND_SUMMARIES.kmehr.summary);
  kmehr
    .command('validate')
    .description('check KMEHR vaccination messages: XSD (KMEHR 1.43), well-formedness and the registry rules')
    .argument('<file...>', 'KMEHR XML files')
    .option('--json', 'print [{file, valid, findings}] as JSON')
    .option(
      '--schema-dir <dir>',
      'folder holding ehealth-kmehr/XSD/kmehr_elements-1_43.xsd (default: $VACCINNET_SCHEMA_DIR, else ../shared/kmehr/schema beside the repository)',
    )
    .action((files: string[], opts: { json?: boolean; schemaDir?: string }, command: Command) => {
      const { writeOut, writeErr } = outputOf(command);
      try {
        for (const file of files) checkReadable(file);
        const xsd = schemaValidator(opts.schemaDir, writeErr);
        const ctx = { today: localDate(new Date(), 'Europe/Brussels'), reference: defaultVaccineReference() };
        const results = files.map((file): FileValidation => {
          const { findings } = validateKmehr(readFileSync(file), { ...(xsd !== undefined && { xsd }), ctx });
          return { file, valid: !hasErrors(findings), findings: findings.map(maskPersonalValue) };
        });
        writeOut(opts.json === true ? `${JSON.stringify(results, null, 2)}\n` : results.map(humanReport).join(''));
        setExitCode(results.every((r) => r.valid) ? EXIT_VALID : EXIT_REFUSED);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        writeErr(`vaccinnet kmehr validate: ${error.message}\n`);
        setExitCode(EXIT_USAGE);
      }
    });
}

function outputOf(command: Command): { writeOut: (s: string) => void; writeErr: (s: string) => void } {
  const configured = command.configureOutput();
  return {
    writeOut: configured.writeOut ?? ((s) => process.stdout.write(s)),
    writeErr: configured.writeErr ?? ((s) => process.stderr.write(s)),
  };
}

function checkReadable(file: string): void {
  if (!existsSync(file)) throw new UsageError(`${file}: no such file`);
  if (!statSync(file).isFile()) throw new UsageError(`${file}: not a regular file`);
}

/** --schema-dir, else $VACCINNET_SCHEMA_DIR (both must hold the schema), else ../shared/kmehr/schema if present. */
function schemaValidator(option: string | undefined, writeErr: (s: string) => void): XsdValidator | undefined {
  const explicit = option ?? (process.env.VACCINNET_SCHEMA_DIR || undefined);
  if (explicit !== undefined) {
    const source = option !== undefined ? '--schema-dir' : 'VACCINNET_SCHEMA_DIR';
    if (!existsSync(path.join(explicit, KMEHR_ROOT_XSD))) {
      throw new UsageError(`${source} ${explicit} does not contain ${KMEHR_ROOT_XSD}`);
    }
    return createXsdValidator(explicit);
  }
  const beside = path.resolve(repoRoot, '../shared/kmehr/schema');
  if (existsSync(path.join(beside, KMEHR_ROOT_XSD))) return createXsdValidator(beside);
  writeErr('notice: XSD validation is OFF (no KMEHR schema found; give --schema-dir or set VACCINNET_SCHEMA_DIR)\n');
  return undefined;
}

/** INSZ numbers are personal data: the CLI's output may end up in logs, so it shows them masked. */
function maskPersonalValue(f: Finding): Finding {
  const personal = f.value !== undefined && (f.code.startsWith('INSZ_') || (f.location ?? '').includes('/patient/id'));
  if (!personal) return f;
  const value = maskInsz(f.value!);
  const params = { ...f.params, value };
  return { ...f, value, params, message: formatMessage(f.code, params, 'en') };
}

function humanReport(r: FileValidation): string {
  const errors = r.findings.filter((f) => f.severity === 'error').length;
  const head = r.valid ? `${r.file}: valid\n` : `${r.file}: REFUSED (${errors} error${errors === 1 ? '' : 's'})\n`;
  return head + r.findings.map((f) => `  ${findingLine(r.file, f)}\n`).join('');
}

/** `file:line:col: severity CODE at location [value: …]: message`, like a compiler, so editors can jump to it. */
function findingLine(file: string, f: Finding): string {
  const position = f.line !== undefined ? `:${f.line}${f.column !== undefined ? `:${f.column}` : ''}` : '';
  const at = f.location !== undefined ? ` at ${f.location}` : '';
  const value = f.value !== undefined ? ` [value: ${f.value}]` : '';
  return `${file}${position}: ${f.severity} ${f.code}${at}${value}: ${f.message}`;
}
