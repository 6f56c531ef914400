import path from 'node:path';
import type { Command } from 'commander';
import { localDate } from '../registry/system-clock.js';
import { DEMO_PASSWORD } from '../server/demo/demo-seed.js';
import type { RunningRegistry } from '../server/start-registry.js';
import { COMMAND_SUMMARIES } from './command-summaries.js';
import type { SetExitCode } from './commands.js';
import { configFromFlags, untilStopSignal } from './config-flags.js';
import { DEMO_NOT_READABLE, DEMO_READABLE } from '../server/demo/demo-access.js';

interface ServeOptions {
  readonly config?: string;
  readonly dataDir?: string;
  readonly port?: string;
  readonly host?: string;
  readonly database?: string;
  readonly demo?: boolean;
}

const quote = (s: string): string => (/^[\w./:=-]+$/.test(s) ? s : `"${s}"`);

/**
 * A path as the printed commands name it: relative to the folder the server was started in when it lies inside it,
 * absolute otherwise (a `../../tmp/…` chain is unreadable and breaks as soon as one `cd`s).
 */
function shown(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return quote(relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? path.resolve(file) : relative);
}

/**
 * `--ca FILE` when the CLI would not find the CA that issued the server certificate on its own (it looks in
 * `./.vaccinnet/pki`, or VACCINNET_CA / VACCINNET_DATA_DIR, which the second terminal may not have): with
 * `--data-dir DIR` or `pki.dir` elsewhere the printed commands would otherwise fail with SELF_SIGNED_CERT_IN_CHAIN.
 * Nothing when the server certificate is not the development CA's (`server.certFile`): then the operator's CA applies.
 */
function caFlag(registry: RunningRegistry): string {
  if (!registry.caPem) return '';
  const caFile = path.resolve(registry.config.pki.dir, 'ca.cert.pem');
  // our choice: print --ca only when needed, so the default quick start stays the short command the README shows.
  return caFile === path.resolve('.vaccinnet', 'pki', 'ca.cert.pem') ? '' : ` --ca ${shown(caFile)}`;
}

/** What a newcomer pastes next: the exact register and get commands for the demo doctor. */
export function quickStart(registry: RunningRegistry): string {
  const doctor = registry.demo?.certificates.find((c) => c.role === 'doctor');
  const patient = registry.demo?.patients.find((p) => p.insz === '06070500252') ?? registry.demo?.patients[0];
  if (!doctor || !patient) return '';
  const yesterday = localDate(new Date(Date.now() - 86_400_000), registry.config.registry.timeZone);
  const common = `--p12 ${shown(doctor.p12Path)} --password ${DEMO_PASSWORD} --software-id ${doctor.softwareId} --url ${registry.url}${caFlag(registry)}`;
  return [
    '',
    `Demo profiles are ready (${registry.demo?.created ? 'created now' : 'from an earlier start'}); certificates in ${path.dirname(doctor.p12Path)}.`,
    `Register a first vaccination as Dr. ${doctor.persona} (COVID-19, Comirnaty) for ${patient.name}:`,
    '',
    `  npx vaccinnet register ${common} --nihii ${doctor.nihii} --patient ${patient.insz} --cnk 4293254 --date ${yesterday} --lot FK1234`,
    '',
    'Then look it up:',
    '',
    `  npx vaccinnet get ${common} --patient ${patient.insz}`,
    '',
    ...accessLines(registry, common),
    ...hospitalLines(registry),
    `WSDL: ${registry.url}/VaccinnetUPL/wupl/VaccinationService-2_1?wsdl    health: ${registry.url}/health    metrics: ${registry.metricsUrl ?? 'off (metrics.enabled)'}`,
    '',
  ].join('\n');
}

/** `--data-dir DIR` for the printed admin commands when the server's data is not in ./.vaccinnet (SQLite there). */
function dataDirFlag(registry: RunningRegistry): string {
  const dataDir = path.resolve(registry.config.dataDir);
  return dataDir === path.resolve('.vaccinnet') ? '' : ` --data-dir ${shown(dataDir)}`;
}

/** The read rule (issue 13, docs/access.md): one person the demo doctor may read, one it may not, and how to change that. */
function accessLines(registry: RunningRegistry, common: string): string[] {
  const doctor = registry.demo?.certificates.find((c) => c.role === 'doctor');
  if (!doctor?.nihii) return [];
  const admin = `npx vaccinnet admin${dataDirFlag(registry)}`;
  const name = (p: { firstname: string; familyname: string }): string => `${p.firstname} ${p.familyname}`;
  return [
    `Dr. ${doctor.persona} may read all of ${name(DEMO_READABLE)}'s vaccinations (consent + therapeutic link), also the one Dr. maes registered:`,
    '',
    `  npx vaccinnet get ${common} --patient ${DEMO_READABLE.insz}`,
    '',
    `but not ${name(DEMO_NOT_READABLE)}'s (no consent: refused with ACCESS_NO_CONSENT, although she has one):`,
    '',
    `  npx vaccinnet get ${common} --patient ${DEMO_NOT_READABLE.insz}`,
    '',
    'As the operator, record her consent and a link; the same get then shows her vaccination, and her audit log every read:',
    '',
    `  ${admin} consent give ${DEMO_NOT_READABLE.insz}`,
    `  ${admin} links add ${DEMO_NOT_READABLE.insz} --doctor ${doctor.nihii} --proof eid-chip`,
    `  npx vaccinnet history ${DEMO_NOT_READABLE.insz} --audit --reason "demo"${dataDirFlag(registry)}`,
    '',
  ];
}

/** The organisation's path: deliver the demo CSV through BatchUpload and follow its per-vaccination result. */
function hospitalLines(registry: RunningRegistry): string[] {
  const hospital = registry.demo?.certificates.find((c) => c.role === 'hospital');
  if (!hospital || !registry.demo || !hospital.userCode) return [];
  const csv = shown(registry.demo.batchCsv);
  const common = `--p12 ${shown(hospital.p12Path)} --password ${DEMO_PASSWORD} --url ${registry.url}${caFlag(registry)}`;
  return [
    'As the hospital, deliver a batch (BatchUpload) and wait for its per-vaccination result:',
    '',
    `  npx vaccinnet batch submit ${common} --software-id ${hospital.softwareId} --user-code ${hospital.userCode} --doctor-nihii ${hospital.nihii} ${csv}`,
    `  npx vaccinnet batch result <transactionId> ${common} --user-code ${hospital.userCode} --wait`,
    '',
  ];
}

/** `vaccinnet serve`: runs the registry until SIGINT/SIGTERM. `npm start` = `vaccinnet serve --demo`. */
export function registerServeCommand(program: Command, setExitCode: SetExitCode): void {
  program
    .command('serve')
    .description(COMMAND_SUMMARIES.serve.summary)
    .option('--config <file>', 'JSON configuration file (see docs/configuration.md)')
    .option('--data-dir <dir>', 'data folder (default ./.vaccinnet)')
    .option('--port <n>', 'listen port (default 8443)')
    .option('--host <host>', 'listen address (default 127.0.0.1)')
    .option('--database <url>', 'sqlite:<file> or postgres://… (default sqlite:<data-dir>/vaccinnet.db)')
    .option('--demo', 'create demo profiles and their certificates, and print how to send a first vaccination')
    .action(async (o: ServeOptions) => {
      const config = configFromFlags(o);
      // Loaded here, not at the top: `vaccinnet serve --help` should not load the whole registry.
      const { startRegistry } = await import('../server/start-registry.js');
      const registry = await startRegistry({ config, demo: o.demo ?? false });
      // our choice: stdout carries only the JSON log lines (one format, for `| jq` or a log collector); the human
      // text (where it listens, the quick start) goes to stderr, which a terminal shows just the same.
      const human = (text: string): void => void process.stderr.write(text);
      human(
        `Vaccinnet registry listening on ${registry.url} (database ${config.database.url.split('@').pop()}, XSD validation ${registry.xsdEnabled ? 'on' : 'OFF'})\n`,
      );
      if (registry.caCreated) human(`Created a development CA in ${config.pki.dir}\n`);
      if (o.demo) human(`${quickStart(registry)}\n`);
      await untilStopSignal();
      await registry.close();
      setExitCode(0);
    });
}
