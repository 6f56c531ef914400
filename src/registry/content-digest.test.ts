import { describe, expect, it } from 'vitest';
import { parseKmehr } from '../kmehr/parse-kmehr.js';
import { writeItem, writeKmehr } from '../kmehr/write-kmehr.js';
import { contentDigest, sameContent } from './content-digest.js';
import { DOCTORS, personaMessage } from './testing/index.js';

const dose = { patientInsz: '85071412330', administeredOn: '2024-03-01', responsibleNihii: '14700250004', itemXml: '<item/>' };

/** The vaccine item of a KMEHR text as the registry stores it. */
function storedItem(xml: string): string {
  const parsed = parseKmehr(xml);
  if (!parsed.ok) throw new Error(parsed.findings.map((f) => f.code).join());
  return writeItem(parsed.message.folders[0]!.transactions[0]!.items[0]!);
}

describe('the content digest of a dose', () => {
  it('is SHA-256 (base64url) over the version tag and the netstrings of patient, date, responsible NIHII and item: a fixed value, as migration 0011 stored it', () => {
    // Computed independently: python3 hashlib over "dose-v1;11:85071412330,10:2024-03-01,11:14700250004,7:<item/>,".
    expect(contentDigest(dose)).toBe('BRVjem6O01kGCe3eyW_wr-Yfp9qguERefHuGL0tAabk');
    expect(contentDigest({ ...dose, responsibleNihii: undefined })).not.toBe(contentDigest(dose));
  });

  it('changes with every field it covers, and only with those', () => {
    const base = contentDigest(dose);
    for (const other of [
      { patientInsz: '85071412429' },
      { administeredOn: '2024-03-02' },
      { responsibleNihii: '19876585003' },
      { itemXml: '<item><batch>X</batch></item>' },
    ]) {
      expect(contentDigest({ ...dose, ...other })).not.toBe(base);
    }
    // Unambiguous: moving a character from one field into the next is another digest.
    expect(contentDigest({ ...dose, administeredOn: '2024-03-0', itemXml: `1${dose.itemXml}` })).not.toBe(base);
  });

  it('does not change with the formatting of the sent XML (whitespace, quotes), but with the lot', () => {
    const xml = writeKmehr(personaMessage({ sender: DOCTORS.peeters, messageId: 'digest-1', item: { batch: 'FK1234' } }));
    const reformatted = xml.replace(/></g, '>\n   <').replace(/="([^"]*)"/g, "='$1'");
    expect(reformatted).not.toBe(xml);
    const [a, b] = [storedItem(xml), storedItem(reformatted)];
    expect(contentDigest({ ...dose, itemXml: b })).toBe(contentDigest({ ...dose, itemXml: a }));
    const otherLot = storedItem(writeKmehr(personaMessage({ sender: DOCTORS.peeters, messageId: 'digest-1', item: { batch: 'FK9999' } })));
    expect(contentDigest({ ...dose, itemXml: otherLot })).not.toBe(contentDigest({ ...dose, itemXml: a }));
  });

  it('sameContent recomputes a missing digest from the stored fields, and trusts a stored one', () => {
    expect(sameContent({ ...dose, contentDigest: contentDigest(dose) }, dose)).toBe(true);
    expect(sameContent({ ...dose, contentDigest: contentDigest(dose) }, { ...dose, lot: 'x', itemXml: '<item>other</item>' } as typeof dose)).toBe(false);
    expect(sameContent(dose, { ...dose, contentDigest: 'not-this-one' })).toBe(false);
  });
});
