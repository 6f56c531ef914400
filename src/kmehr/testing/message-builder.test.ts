import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkInsz } from '../identifiers/insz-check.js';
import { defaultVaccineReference } from '../codelists/vaccine-reference.js';
import { parseKmehr } from '../parse-kmehr.js';
import { checkMessage } from '../rules/check-message.js';
import { writeKmehr } from '../write-kmehr.js';
import { inszFor } from '../identifiers/synthetic-insz.js';
import { buildBatchMessage, buildVaccinationMessage, withItem } from './message-builder.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const schema = path.resolve(repoRoot, '../shared/kmehr/schema/ehealth-kmehr/XSD/kmehr_elements-1_43.xsd');
const dir = mkdtempSync(path.join(tmpdir(), 'kmehr-builder-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Validates with Debian xmllint against the official XSD (an independent check of the builder's shape). */
function xsdValid(xml: string, name: string): boolean {
  const file = path.join(dir, name);
  writeFileSync(file, xml);
  try {
    execFileSync('xmllint', ['--noout', '--nonet', '--schema', schema, file], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

const ctx = { today: '2026-01-01', reference: defaultVaccineReference() };

describe('message builder', () => {
  it("builds the contract's valid message: doctor 14700250004, patient 85071412330, Comirnaty with a lot", () => {
    const m = buildVaccinationMessage();
    expect(m.header.senders[0]?.ids[0]?.value).toBe('14700250004');
    expect(m.folders[0]?.patient.ids[0]?.value).toBe('85071412330');
    const item = m.folders[0]?.transactions[0]?.items[0];
    expect(item?.contents[0]).toMatchObject({ kind: 'medicinalproduct', intendedcds: [{ s: 'CD-DRUG-CNK', value: '4293254' }] });
    expect(item?.batch).toBe('FK1234');
    expect(checkMessage(m, ctx)).toEqual([]);
    expect(Object.isFrozen(m.folders[0]?.transactions[0]?.items)).toBe(true);
  });

  it('writes XSD-valid KMEHR that parses back to the same model', () => {
    const m = buildVaccinationMessage();
    const xml = writeKmehr(m);
    expect(xsdValid(xml, 'one.xml')).toBe(true);
    const back = parseKmehr(xml);
    expect(back.ok && checkMessage(back.message, ctx)).toEqual([]);
  });

  it('builds batch-shaped messages with distinct valid patients and sender UUIDs', () => {
    const m = buildBatchMessage(3, 2);
    expect(m.folders).toHaveLength(3);
    expect(m.folders.every((f) => f.transactions.length === 2)).toBe(true);
    const insz = m.folders.map((f) => f.patient.ids[0]!.value);
    expect(new Set(insz).size).toBe(3);
    const uuids = m.folders.flatMap((f) => f.transactions.map((t) => t.ids[1]!.value));
    expect(new Set(uuids).size).toBe(6);
    expect(checkMessage(m, ctx)).toEqual([]);
    expect(xsdValid(writeKmehr(m), 'batch.xml')).toBe(true);
  });

  it('inszFor gives distinct valid INSZ numbers', () => {
    const values = Array.from({ length: 2000 }, (_, n) => inszFor(n * 13));
    expect(new Set(values).size).toBe(2000);
    expect(values.every((v) => checkInsz(v, '2026-01-01').ok)).toBe(true);
  });

  it('mutation helpers return new trees and leave the original alone', () => {
    const m = buildVaccinationMessage();
    const changed = withItem(m, { batch: undefined });
    expect(changed.folders[0]?.transactions[0]?.items[0]?.batch).toBeUndefined();
    expect(m.folders[0]?.transactions[0]?.items[0]?.batch).toBe('FK1234');
    expect(changed.header).toBe(m.header);
  });
});
