import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Argument, type Command, InvalidArgumentError, Option } from 'commander';
import { CertificateVerifier } from '../pki/certificate-verifier.js';
import { IDENTIFIER_LENGTHS, type SubjectSpec, fromJsonName, identityFromSubject } from '../pki/ehealth-subject.js';
import { loadP12 } from '../pki/pkcs12.js';
import { normaliseSerial } from '../pki/serial.js';
import { CA_CERT_FILE, TestCa } from '../pki/test-ca.js';
import { TrustStore } from '../pki/trust-store.js';
import { x509 } from '../pki/x509-provider.js';
import { COMMAND_SUMMARIES } from './command-summaries.js';

const KINDS = ['doctor', 'haio', 'stagemeester', 'group', 'organisation'] as const;
type Kind = (typeof KINDS)[number];

/** `$VACCINNET_DATA_DIR/pki`, else `./.vaccinnet/pki`; read when the command runs (tests set the variable). */
export function defaultPkiDir(): string {
  const data = process.env.VACCINNET_DATA_DIR;
  return data ? path.join(data, 'pki') : path.resolve('.vaccinnet', 'pki');
}

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

function err(line: string): void {
  process.stderr.write(`${line}\n`);
}

function dirOption(): Option {
  return new Option('--dir <dir>', 'test CA directory (default $VACCINNET_DATA_DIR/pki or ./.vaccinnet/pki)');
}

/** Option parser: a usage error (exit 2) rather than an internal one. */
function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`not a positive whole number: ${value}`);
  return n;
}

/** Operational failures (no CA, wrong password, unreadable file) are refusals with a one-line message, not crashes. */
function guarded<A extends unknown[]>(setExitCode: (code: number) => void, action: (...args: A) => void | Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await action(...args);
    } catch (error) {
      err(error instanceof Error ? error.message : String(error));
      setExitCode(1);
    }
  };
}

/**
 * `vaccinnet pki …`: a local test CA for the acceptance environment (identity.md §2): init, issue eHealth-shaped
 * .p12 keystores, a TLS server certificate, revoke, re-sign the CRL, show a keystore.
 * Exit codes: 0 done, 1 refused (unknown serial, certificate not valid), 2 bad arguments.
 */
export function registerPkiCommands(program: Command, setExitCode: (code: number) => void): void {
  const pki = program.command('pki').description(COMMAND_SUMMARIES.pki.summary);

  pki
    .command('init')
    .description('create a test CA (ca.key.pem, ca.cert.pem, crl.pem, index.json)')
    .addOption(dirOption())
    .option('--name <cn>', 'CA common name', 'Vaccinnet Test CA')
    .addOption(new Option('--bits <bits>', 'RSA key size').choices(['2048', '3072']).default('2048'))
    .option('--days <n>', 'CA validity in days', positiveInt, 3650)
    .action(
      guarded(setExitCode, async (opts: { dir?: string; name: string; bits: string; days: number }) => {
        const dir = opts.dir ?? defaultPkiDir();
        if (existsSync(path.join(dir, CA_CERT_FILE))) {
          err(`a CA already exists in ${dir}`);
          setExitCode(1);
          return;
        }
        const ca = await TestCa.create(dir, {
          name: opts.name,
          modulusLength: opts.bits === '3072' ? 3072 : 2048,
          days: opts.days,
        });
        out(ca.certificatePath);
      }),
    );

  pki
    .command('issue')
    .description('issue a client certificate as <TYPE>=<id> <timestamp>.acc-p12 (prints its path)')
    .addArgument(new Argument('<kind>', 'kind of certificate').choices(KINDS))
    .requiredOption('--id <id>', 'SSIN (persons) or organisation identifier')
    .requiredOption('--name <name>', 'full name or organisation name')
    .option('--type <type>', 'identifier type for organisations (group: NIHII-GROUP_DOCTORS)', 'NIHII-HOSPITAL')
    .option('--application <app>', 'application id (organisations)')
    .option('--password <pw>', 'keystore password (default: generated and printed)')
    .option('--days <n>', 'validity in days', positiveInt, 730)
    .option('--not-before <iso>', 'start of validity (ISO date; for expired / not-yet-valid test certificates)')
    .option('--out <dir>', 'where to write the .p12 (default <dir>/issued)')
    .addOption(new Option('--algorithm <alg>', 'keystore encryption').choices(['aes256', '3des']).default('aes256'))
    .addOption(dirOption())
    .action(
      guarded(
        setExitCode,
        async (
          kind: Kind,
          opts: {
            id: string;
            name: string;
            type: string;
            application?: string;
            password?: string;
            days: number;
            notBefore?: string;
            out?: string;
            algorithm: 'aes256' | '3des';
            dir?: string;
          },
          cmd: Command,
        ) => {
          const typeGiven = cmd.getOptionValueSource('type') === 'cli';
          const subject = subjectFor(kind, opts.id, opts.name, typeGiven ? opts.type : undefined, opts.application);
          if (typeof subject === 'string') {
            err(subject);
            setExitCode(2);
            return;
          }
          const notBefore = opts.notBefore === undefined ? undefined : new Date(opts.notBefore);
          if (notBefore && Number.isNaN(notBefore.getTime())) {
            err(`--not-before is not a date: ${opts.notBefore}`);
            setExitCode(2);
            return;
          }
          const ca = await TestCa.open(opts.dir ?? defaultPkiDir());
          const issued = await ca.issue({
            subject,
            days: opts.days,
            ...(notBefore && { notBefore }),
            ...(opts.password !== undefined && { password: opts.password }),
            ...(opts.out !== undefined && { outDir: opts.out }),
            p12Algorithm: opts.algorithm,
          });
          out(issued.p12Path as string);
          if (opts.password === undefined) out(`password: ${issued.p12Password}`);
        },
      ),
    );

  pki
    .command('server')
    .description('issue a TLS server certificate (writes server.key.pem and server.cert.pem)')
    .option('--host <name...>', 'DNS names', ['localhost'])
    .option('--ip <ip...>', 'IP addresses', ['127.0.0.1'])
    .option('--days <n>', 'validity in days', positiveInt, 730)
    .option('--out <dir>', 'where to write the PEM files (default <dir>)')
    .addOption(dirOption())
    .action(
      guarded(setExitCode, async (opts: { host: string[]; ip: string[]; days: number; out?: string; dir?: string }) => {
        const dir = opts.dir ?? defaultPkiDir();
        const ca = await TestCa.open(dir);
        const cert = await ca.issueServer({ hostnames: opts.host, ips: opts.ip, days: opts.days });
        const target = opts.out ?? dir;
        mkdirSync(target, { recursive: true });
        writeFileSync(path.join(target, 'server.key.pem'), cert.privateKeyPem, { mode: 0o600 });
        writeFileSync(path.join(target, 'server.cert.pem'), cert.certificatePem);
        out(path.join(target, 'server.cert.pem'));
      }),
    );

  pki
    .command('revoke')
    .description('revoke a certificate (by serial or by its .p12) and re-sign the CRL')
    .argument('[file]', 'the .p12 keystore to revoke')
    .option('--serial <serial>', 'serial number (hex)')
    .option('--password <pw>', 'keystore password, when the .p12 is not in the CA index')
    .addOption(dirOption())
    .action(
      guarded(setExitCode, async (file: string | undefined, opts: { serial?: string; password?: string; dir?: string }) => {
        if ((file === undefined) === (opts.serial === undefined)) {
          err('give either --serial or a .p12 file');
          setExitCode(2);
          return;
        }
        const ca = await TestCa.open(opts.dir ?? defaultPkiDir());
        let serial = opts.serial;
        if (file !== undefined) {
          const resolved = path.resolve(file);
          serial = ca.list().find((e) => e.p12 !== undefined && path.resolve(e.p12) === resolved)?.serial;
          if (serial === undefined && opts.password !== undefined) {
            serial = new X509Certificate(loadP12(resolved, opts.password).certificateDer).serialNumber;
          }
          if (serial === undefined) {
            err(`${file} is not in the CA index; give --password to read its serial`);
            setExitCode(1);
            return;
          }
        }
        if (!(await ca.revoke(serial as string))) {
          err(`unknown serial ${normaliseSerial(serial as string)}`);
          setExitCode(1);
          return;
        }
        out(`revoked ${normaliseSerial(serial as string)}`);
        out(ca.crlPath);
      }),
    );

  pki
    .command('crl')
    .description('re-sign the CRL (new thisUpdate/nextUpdate) and print its path')
    .option('--days <n>', 'days until nextUpdate', positiveInt, 7)
    .addOption(dirOption())
    .action(
      guarded(setExitCode, async (opts: { days: number; dir?: string }) => {
        const ca = await TestCa.open(opts.dir ?? defaultPkiDir());
        await ca.writeCrl(new Date(), opts.days);
        out(ca.crlPath);
      }),
    );

  pki
    .command('show')
    .description('show a .p12 keystore: subject, identity, validity and the verdict of the test CA')
    .argument('<file>', '.p12 keystore')
    .requiredOption('--password <pw>', 'keystore password')
    .addOption(dirOption())
    .action(
      guarded(setExitCode, (file: string, opts: { password: string; dir?: string }) => {
        const p12 = loadP12(file, opts.password);
        const cert = new X509Certificate(p12.certificateDer);
        const fingerprint = cert.fingerprint256.replaceAll(':', '');
        const parsed = new x509.X509Certificate(p12.certificateDer);
        const reading = identityFromSubject(fromJsonName(parsed.subjectName.toJSON()), fingerprint);
        out(`alias:       ${p12.alias ?? '(none)'}`);
        out(`subject:     ${reading.ok ? reading.identity.subject : parsed.subject}`);
        out(`issuer:      ${parsed.issuer}`);
        out(`serial:      ${normaliseSerial(cert.serialNumber)}`);
        out(`valid from:  ${new Date(cert.validFrom).toISOString()}`);
        out(`valid to:    ${new Date(cert.validTo).toISOString()}`);
        out(`fingerprint: ${fingerprint}`);
        out(`identity:    ${reading.ok ? JSON.stringify({ ...reading.identity, subject: undefined, fingerprint: undefined }) : reading.detail}`);
        const dir = opts.dir ?? defaultPkiDir();
        if (!existsSync(path.join(dir, CA_CERT_FILE))) return;
        const result = new CertificateVerifier(TrustStore.fromCaDirectory(dir, 0)).verifyCertificate(cert, new Date());
        out(`verdict:     ${result.ok ? 'valid' : `${result.finding.code}: ${result.finding.message}`}`);
        if (!result.ok) setExitCode(1);
      }),
    );
}

/** The subject for a kind, or an error text for bad arguments. */
function subjectFor(kind: Kind, id: string, name: string, type: string | undefined, application: string | undefined): SubjectSpec | string {
  if (!name.trim()) return '--name must not be empty';
  if (kind === 'doctor' || kind === 'haio' || kind === 'stagemeester') {
    if (!/^\d{11}$/.test(id)) return `--id must be an SSIN of 11 digits for a ${kind}`;
    if (type !== undefined || application !== undefined) return `--type and --application are for organisations`;
    return { kind: 'person', ssin: id, name };
  }
  const idType = type ?? (kind === 'group' ? 'NIHII-GROUP_DOCTORS' : 'NIHII-HOSPITAL');
  if (!/^[A-Z][A-Z0-9_-]*$/.test(idType) || idType === 'SSIN') return `--type is not an organisation identifier type: ${idType}`;
  const length = IDENTIFIER_LENGTHS[idType];
  if (!/^\d+$/.test(id) || (length !== undefined && id.length !== length)) {
    return `--id must be ${length ?? 'only'} digits for ${idType}`;
  }
  if (application !== undefined && !/^[A-Za-z0-9_.-]+$/.test(application)) return `--application: letters, digits, _ . - only`;
  return { kind: 'organisation', idType, id, name, ...(application !== undefined && { application }) };
}
