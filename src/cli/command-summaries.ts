/**
 * The one-line summary and the help term of every top-level command: `vaccinnet --help` prints them without loading
 * any command's code (see commands.ts), and each command's module takes its description from here, so the two
 * help texts cannot drift apart. The term is what commander would print for the full definition (a test checks it).
 */
export const COMMAND_SUMMARIES = {
  serve: { term: 'serve [options]', summary: 'run the registry (HTTPS, SOAP services); embedded SQLite by default' },
  worker: { term: 'worker [options]', summary: 'process accepted BatchUpload deliveries (run beside `serve`, several against PostgreSQL)' },
  register: { term: 'register [options]', summary: 'register one administered vaccination (AddVaccinations)' },
  get: { term: 'get [options]', summary: "show a patient's registered vaccinations (GetVaccinations)" },
  remove: { term: 'remove [options]', summary: 'remove a vaccination you registered (RemoveVaccination)' },
  batch: { term: 'batch', summary: 'BatchUpload: deliver group vaccinations, fetch their results, generate test batches' },
  kmehr: { term: 'kmehr', summary: 'KMEHR messages: validate them the way the registry does' },
  pki: { term: 'pki', summary: 'Test certificate authority: eHealth-shaped certificates, .p12, CRL' },
  admin: {
    term: 'admin [options]',
    summary: 'operator tools: persons, doctors, organisations, softwareIDs, links, certificates, consent, therapeutic links, backup',
  },
  history: { term: 'history [options] <insz>', summary: "operator view of a person's active vaccinations (and, with --audit, who read or changed what)" },
} as const;

export type CommandName = keyof typeof COMMAND_SUMMARIES;
