import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildVaccinationMessage, buildBatchMessage } from '../../kmehr/testing/message-builder.js';
import { SHARED_KMEHR } from '../../kmehr/test-paths.js';
import { writeKmehr } from '../../kmehr/write-kmehr.js';
import { DEFAULT_XML_LIMITS } from '../../kmehr/xml-limits.js';
import { createXsdValidator, type XsdValidator } from '../../kmehr/xsd/xsd-validator.js';
import { checkSubmittedMessage, checkSubmittedMessageInTurn } from './submitted-message.js';

const xsd = createXsdValidator(path.join(SHARED_KMEHR, 'schema'));
const valid = Buffer.from(writeKmehr(buildVaccinationMessage()));
const twoDoses = Buffer.from(writeKmehr(buildBatchMessage(1, 2)));
const notXml = Buffer.from('<kmehrmessage');
const doctype = Buffer.from('<!DOCTYPE x [<!ENTITY a "b">]><kmehrmessage/>');

describe('checkSubmittedMessageInTurn', () => {
  it('answers exactly what checkSubmittedMessage answers, for accepted and refused messages alike', async () => {
    const inputs = [valid, twoDoses, notXml, doctype, valid];
    const queued = await Promise.all(inputs.map((bytes) => checkSubmittedMessageInTurn(bytes, xsd, DEFAULT_XML_LIMITS)));
    expect(queued).toEqual(inputs.map((bytes) => checkSubmittedMessage(bytes, xsd, DEFAULT_XML_LIMITS)));
    expect(queued.map((c) => c.accepted)).toEqual([true, false, false, false, true]);
  });

  it('runs the checks of one turn together, after that turn, in the order they were asked for', async () => {
    const order: string[] = [];
    const recording: XsdValidator = {
      validateFile: () => [],
      validateBytes: (bytes) => {
        order.push(`xsd ${bytes.length}`);
        return xsd.validateBytes(bytes);
      },
    };
    const first = checkSubmittedMessageInTurn(valid, recording, DEFAULT_XML_LIMITS);
    const second = checkSubmittedMessageInTurn(twoDoses, recording, DEFAULT_XML_LIMITS);
    order.push('turn ends');
    await Promise.all([first, second]);
    expect(order).toEqual(['turn ends', `xsd ${valid.length}`, `xsd ${twoDoses.length}`]);
  });

  it('rejects only the check whose validator failed; the others in its turn are answered', async () => {
    const broken: XsdValidator = {
      validateFile: () => [],
      validateBytes: () => {
        throw new Error('libxml2 schema validation failed internally (-1)');
      },
    };
    const [a, b, c] = await Promise.allSettled([
      checkSubmittedMessageInTurn(valid, xsd, DEFAULT_XML_LIMITS),
      checkSubmittedMessageInTurn(valid, broken, DEFAULT_XML_LIMITS),
      checkSubmittedMessageInTurn(valid, xsd, DEFAULT_XML_LIMITS),
    ]);
    expect(a).toMatchObject({ status: 'fulfilled', value: { accepted: true } });
    expect(b).toMatchObject({ status: 'rejected', reason: { message: 'libxml2 schema validation failed internally (-1)' } });
    expect(c).toMatchObject({ status: 'fulfilled', value: { accepted: true } });
  });

  it('keeps the XSD on: without a validator the plain notice is part of the answer', async () => {
    const check = await checkSubmittedMessageInTurn(valid, undefined, DEFAULT_XML_LIMITS);
    expect(check.findings.map((f) => f.code)).toEqual(['KMEHR_XSD_OFF']);
  });
});

describe('a KMEHR nested deeper than our limit (issue 11.9)', () => {
  const KMEHR_NS = 'http://www.ehealth.fgov.be/standards/kmehr/schema/v1';
  const deep = Buffer.from(`<kmehrmessage xmlns="${KMEHR_NS}">${'<folder>'.repeat(10_000)}${'</folder>'.repeat(10_000)}</kmehrmessage>`);

  it('is refused with our XML_TOO_DEEP alone, before libxml2 sees it', () => {
    let seen = 0;
    const recording: XsdValidator = {
      validateFile: () => [],
      validateBytes: (bytes) => {
        seen += 1;
        return xsd.validateBytes(bytes);
      },
    };
    const check = checkSubmittedMessage(deep, recording, DEFAULT_XML_LIMITS);
    expect(check.findings.map((f) => [f.code, f.params?.limit])).toEqual([['XML_TOO_DEEP', 64]]);
    expect(check.accepted).toBe(false);
    expect(seen).toBe(0);
    // What libxml2 alone would have said first: its own depth error, not ours.
    expect(xsd.validateBytes(deep)[0]?.code).toBe('XML_MALFORMED');
  });

  it('is refused the same way when deep inside an otherwise valid message', () => {
    const text = valid.toString('utf8');
    const deepItem = Buffer.from(text.replace('</kmehrmessage>', `${'<x>'.repeat(100)}${'</x>'.repeat(100)}</kmehrmessage>`));
    expect(checkSubmittedMessage(deepItem, xsd, DEFAULT_XML_LIMITS).findings.map((f) => f.code)).toEqual(['XML_TOO_DEEP']);
    expect(checkSubmittedMessage(valid, xsd, DEFAULT_XML_LIMITS).accepted).toBe(true);
  });
});
