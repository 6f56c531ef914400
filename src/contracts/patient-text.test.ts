import { describe, expect, it } from 'vitest';
import { resultEntry, resultHead, resultSliceText } from '../batch/result-entries.js';
import { readResultResponse } from '../client/batch-responses.js';
import { testEngines } from '../store/testing/test-engines.js';
import { DeliveryRepository } from '../store/delivery-repository.js';
import { patientText } from './patient-text.js';
import { resultAnswerChunks } from '../soap/batch/result-answer.js';

describe('patientText', () => {
  it('is the name as submitted: first names then family name, white space tidied; none when the folder names nobody', () => {
    expect(patientText({ firstnames: ['Jan', ' Pieter '], familyname: 'Van  den Broeck' })).toBe('Jan Pieter Van den Broeck');
    expect(patientText({ firstnames: [], familyname: 'Peeters' })).toBe('Peeters');
    expect(patientText({ firstnames: [' '] })).toBeUndefined();
    expect(patientText({ firstnames: ['x'.repeat(300)] })).toHaveLength(200);
  });
});

const [engine] = testEngines();

describe('ResultaatVerwerking answer', () => {
  it("sends a folder's stored patient text as patientTekst, and leaves it out when there is none", async () => {
    const store = await engine!.open();
    try {
      const repo = DeliveryRepository.of(store);
      const id = 'a1b2c3d4-0000-4000-8000-000000000001';
      const entry = (ordinal: number, patient: string, text: string | null): string =>
        resultEntry(
          resultHead(
            ordinal,
            ordinal,
            0,
            JSON.stringify([{ S: 'ID-KMEHR', SV: '1.0', value: String(ordinal + 1) }]),
            patient,
            text,
            JSON.stringify([{ S: 'ID-KMEHR', SV: '1.0', value: '1' }]),
          ),
          'OK',
          '[]',
          null,
          null,
        );
      await repo.db
        .insertInto('delivery_result_slices')
        .values({
          delivery_id: id,
          first_ordinal: 0,
          transactions: 2,
          accepted: 0,
          results: resultSliceText([entry(0, '85071412330', 'Jan Vermeulen'), entry(1, '06070500252', null)]),
        })
        .execute();
      let xml = '';
      for await (const piece of resultAnswerChunks(repo, id, 'en')) xml += piece;
      const answer = readResultResponse(xml);
      if (answer.kind !== 'result') throw new Error(xml);
      expect(answer.folders.map((f) => [f.patient, f.patientTekst])).toEqual([
        ['85071412330', 'Jan Vermeulen'],
        ['06070500252', undefined],
      ]);
      expect(xml).toContain('<upl:patient>85071412330</upl:patient><upl:patientTekst>Jan Vermeulen</upl:patientTekst>');
    } finally {
      await store.close();
    }
  });
});
