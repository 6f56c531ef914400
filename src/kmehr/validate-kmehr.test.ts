import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hasErrors } from '../status/finding.js';
import { defaultVaccineReference } from './codelists/index.js';
import { KMEHR_NS } from './model.js';
import type { RuleContext } from './rules/check-message.js';
import { buildVaccinationMessage, DOCTOR_NIHII, PATIENT_INSZ } from './testing/message-builder.js';
import { validateKmehr } from './validate-kmehr.js';
import { writeKmehr } from './write-kmehr.js';
import { createXsdValidator } from './xsd/xsd-validator.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shared = path.resolve(repoRoot, '../shared/kmehr');
const vaccinations = path.join(shared, 'samples/vitalink-evs/vaccination');
const xsd = createXsdValidator(path.join(shared, 'schema'));
const ctx: RuleContext = { today: '2026-11-29', reference: defaultVaccineReference() };

/** A real read-back sample with its placeholder NIHII/INSZ (bad check digits) replaced by valid ones. */
function sample(name: string): string {
  return readFileSync(path.join(vaccinations, name), 'utf8').replaceAll('12345678901', DOCTOR_NIHII).replaceAll('90010100101', PATIENT_INSZ);
}

const codes = (findings: readonly { code: string }[]): string[] => findings.map((f) => f.code);

describe('validateKmehr', () => {
  it('accepts a built message and every real sample that passes the XSD, with the parsed message', () => {
    const built = validateKmehr(writeKmehr(buildVaccinationMessage()), { xsd, ctx });
    expect(built.findings).toEqual([]);
    expect(built.message?.folders[0]?.patient.ids[0]?.value).toBe(PATIENT_INSZ);
    const names = readdirSync(vaccinations).filter((n) => n !== 'vaccination-with-unparsable-content.xml');
    expect(names).toHaveLength(6);
    for (const name of names) {
      const result = validateKmehr(Buffer.from(sample(name)), { xsd, ctx });
      expect(result.findings, name).toEqual([]);
      expect(result.message?.header.ids.length, name).toBeGreaterThan(0);
    }
  });

  it('says plainly that XSD validation is off when no validator is given, and still runs the rules', () => {
    const off = validateKmehr(writeKmehr(buildVaccinationMessage()), { ctx });
    expect(off.findings).toHaveLength(1);
    expect(off.findings[0]).toMatchObject({ code: 'KMEHR_XSD_OFF', severity: 'info' });
    expect(off.findings[0]!.message).toContain('XSD validation is off');
    expect(hasErrors(off.findings)).toBe(false);
    expect(off.message).toBeDefined();
    // The unparsable sample's schema error goes unnoticed without the XSD: exactly what the notice warns about.
    expect(codes(validateKmehr(sample('vaccination-with-unparsable-content.xml'), { ctx }).findings)).toEqual(['KMEHR_XSD_OFF']);
  });

  it('reports the XSD error AND the rule findings of a message that still parses (our choice)', () => {
    const noLot = writeKmehr(buildVaccinationMessage({ item: { batch: undefined } }));
    const text = noLot.replace('</folder>', `<text L="nl">x</text><text>no language</text></folder>`);
    const result = validateKmehr(text, { xsd, ctx });
    expect(codes(result.findings)).toEqual(['KMEHR_XSD_INVALID', 'COVID_LOT_MISSING']);
    expect(result.findings[0]!.location).toBe('/kmehrmessage/folder[1]/text[2]');
    expect(result.findings[1]!.location).toBe('/kmehrmessage/folder[1]/transaction[1]/item[1]/batch');
    expect(result.message).toBeDefined();

    const unparsable = validateKmehr(sample('vaccination-with-unparsable-content.xml'), { xsd, ctx });
    expect(codes(unparsable.findings)).toEqual(['KMEHR_XSD_INVALID']);
    expect(unparsable.findings[0]).toMatchObject({ location: '/kmehrmessage/folder[1]/text', line: 89 });
  });

  it('reports both the schema and the namespace problem of the freehealth fixture, without a message', () => {
    const result = validateKmehr(readFileSync(path.join(shared, 'samples/freehealth-connector/addvaccination.xml')), { xsd, ctx });
    expect(codes(result.findings)).toEqual(['KMEHR_XSD_INVALID', 'KMEHR_NAMESPACE']);
    expect(result.message).toBeUndefined();
  });

  it('reports broken XML once (libxml2 with its position), without a second parse', () => {
    const result = validateKmehr(`<kmehrmessage xmlns="${KMEHR_NS}"><header></kmehrmessage>`, { xsd, ctx });
    expect(result.findings).toEqual([expect.objectContaining({ code: 'XML_MALFORMED', line: 1 })]);
  });

  it('stops at the screen: DOCTYPE and size refusals reach neither libxml2 nor the parser', () => {
    const xxe = `<!DOCTYPE k [<!ENTITY x SYSTEM "file:///etc/passwd">]><kmehrmessage xmlns="${KMEHR_NS}">&x;</kmehrmessage>`;
    expect(codes(validateKmehr(xxe, { xsd, ctx }).findings)).toEqual(['XML_EXTERNAL_ENTITY']);
    const big = validateKmehr(writeKmehr(buildVaccinationMessage()), { xsd, ctx, limits: { maxBytes: 500, maxDepth: 64 } });
    expect(big.findings).toEqual([expect.objectContaining({ code: 'XML_TOO_LARGE', params: expect.objectContaining({ limit: 500 }) })]);
  });
});
