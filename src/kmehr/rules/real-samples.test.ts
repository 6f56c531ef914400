import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultVaccineReference } from '../codelists/vaccine-reference.js';
import { KMEHR_NS } from '../model.js';
import { parseKmehr } from '../parse-kmehr.js';
import { checkMessage } from './check-message.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const samples = path.resolve(repoRoot, '../shared/kmehr/samples');
const ctx = { today: '2026-01-01', reference: defaultVaccineReference() };

function check(xml: string): [string, string | undefined, string | undefined][] {
  const r = parseKmehr(xml);
  if (!r.ok) throw new Error(r.findings.map((f) => f.code).join());
  return checkMessage(r.message, ctx).map((f) => [f.code, f.location, f.value]);
}

describe('rules on the real public samples', () => {
  it('freehealth-connector AddVaccinations (namespace added): only the empty transaction type is refused', () => {
    const xml = readFileSync(path.join(samples, 'freehealth-connector/addvaccination.xml'), 'utf8').replace(
      '<kmehrmessage>',
      `<kmehrmessage xmlns="${KMEHR_NS}">`,
    );
    expect(check(xml)).toEqual([['KMEHR_TRANSACTION_TYPE_MISSING', '/kmehrmessage/folder[1]/transaction[1]/cd[1]', '']]);
  });

  it('Vitalink read-backs: only their placeholder identifiers are refused', () => {
    for (const name of [
      'vaccination-with-cdatc-and-batch.xml',
      'vaccination-with-vaccinnetcode.xml',
      'vaccination-with-medicinal-product.xml',
      'vaccination-with-encounterlocation.xml',
      'vaccination-no-quantity.xml',
    ]) {
      const codes = check(readFileSync(path.join(samples, 'vitalink-evs/vaccination', name), 'utf8')).map(([code, , value]) => `${code} ${value}`);
      expect(new Set(codes), name).toEqual(new Set(['NIHII_CHECKSUM 12345678901', 'INSZ_CHECKSUM 90010100101']));
    }
  });
});
