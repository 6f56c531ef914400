import { AREAS } from './status-entry.js';
import { CATALOGUE, STATUS_CODES } from './catalogue.js';
import { RESERVED_CODES, RETIRED_CODES } from './code-lifecycle.js';

const AREA_TITLES: Record<(typeof AREAS)[number], string> = {
  general: 'General',
  xml: 'XML input safety',
  soap: 'SOAP call and contract',
  auth: 'Authentication and certificates',
  profile: 'Profiles, softwareIDs, sender and author',
  kmehr: 'KMEHR message rules',
  identifier: 'Identifiers (INSZ/SSIN, NIHII, KBO/CBE)',
  registry: 'Stored state: duplicates, removal',
  batch: 'BatchUpload deliveries and results',
  access: "Reading a person's vaccinations: consent, therapeutic links, exclusions",
  fhir: 'FHIR API input (docs/fhir.md)',
};

const cell = (s: string): string => s.replace(/\|/g, '\\|');

/** Renders the catalogue as Markdown; the output is committed as docs/status-codes.md. */
export function renderStatusDocs(): string {
  const out: string[] = [
    '# Status codes',
    '',
    '<!-- Generated from src/status/ by `npm run docs`. Do not edit by hand: a test compares this file with the catalogue. -->',
    '',
    'One catalogue serves every channel. In **RegistratieService** a code appears in `Status/Code`',
    '(call level) or `Results/Status/Code` (per message); in **BatchUpload** in `foutCode` (whole delivery) or',
    '`resultCode` (per transaction); the web application and FHIR API use the HTTP status; the CLI prints the code',
    'and exits 1 on any error. `SOAP level` says where the code is reported: `fault` = SOAP Fault (not a valid call),',
    '`call` = call-level status, `message` = per message / per transaction. Placeholders in braces are filled per',
    'finding. Codes are stable: a retired code is never reused.',
    '',
  ];
  for (const area of AREAS) {
    const codes = STATUS_CODES.filter((c) => CATALOGUE[c].area === area);
    if (codes.length === 0) continue;
    out.push(
      `## ${AREA_TITLES[area]}`,
      '',
      '| code | severity | SOAP level | HTTP | retry | rule | message (EN) | NL | FR |',
      '|---|---|---|---|---|---|---|---|---|',
    );
    for (const code of codes) {
      const e = CATALOGUE[code];
      out.push(
        `| \`${code}\` | ${e.severity} | ${e.soap} | ${e.http} | ${e.retry ? 'yes' : 'no'} | ${cell(e.rule)} | ${cell(e.text.en)} | ${cell(e.text.nl)} | ${cell(e.text.fr)} |`,
      );
    }
    out.push('');
  }
  out.push(
    '## Reserved and retired codes',
    '',
    'A reserved code is defined before anything raises it; a retired code is never defined again (a test checks both).',
    '',
  );
  for (const [title, list] of [
    ['Reserved', RESERVED_CODES],
    ['Retired', RETIRED_CODES],
  ] as const) {
    const entries = Object.entries(list);
    out.push(entries.length === 0 ? `${title}: none.` : `${title}:`, ...entries.map(([code, why]) => `- \`${code}\`: ${why}`), '');
  }
  return out.join('\n');
}
