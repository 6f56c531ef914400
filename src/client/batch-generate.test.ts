import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultVaccineReference } from '../kmehr/codelists/vaccine-reference.js';
import { parseKmehr } from '../kmehr/parse-kmehr.js';
import { checkMessage } from '../kmehr/rules/check-message.js';
import { streamKmehr } from '../kmehr/stream-kmehr.js';
import { KMEHR_XSD } from '../kmehr/test-paths.js';
import { createReadStream } from 'node:fs';
import { generateBatchChunks, generateBatchFile } from './batch-generate.js';
import type { BatchSender } from './batch-parties.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vaccinnet-batch-generate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sender: BatchSender = { userCode: 'UZ0001', nihii: '71000436', name: 'AZ Voorbeeld', doctorNihii: '14700250004' };
const now = new Date('2026-03-10T09:00:00Z');

describe('generateBatchFile', () => {
  it('writes a small file that the official XSD and the message rules accept', async () => {
    const file = path.join(dir, 'small.xml');
    const made = await generateBatchFile(file, { patients: 7, doses: 12, sender, now, covidShare: 0.5 });
    expect(made).toMatchObject({ folders: 7, vaccinations: 12 });
    expect(made.covid).toBeGreaterThan(0);
    execFileSync('xmllint', ['--noout', '--nonet', '--schema', KMEHR_XSD, file], { stdio: 'pipe' });
    const parsed = parseKmehr(readFileSync(file));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.findings));
    const m = parsed.message;
    expect(m.folders.map((f) => f.transactions.length)).toEqual([2, 2, 2, 2, 2, 1, 1]);
    expect(new Set(m.folders.map((f) => f.patient.ids[0]!.value)).size).toBe(7);
    const tx = m.folders.flatMap((f) => f.transactions);
    expect(new Set(tx.map((t) => t.ids.find((i) => i.s === 'LOCAL')!.value)).size).toBe(12);
    const dates = tx.map((t) => t.items[0]!.beginmoment!.date!);
    expect(dates.every((d) => d >= '2026-03-04' && d <= '2026-03-10')).toBe(true);
    const reference = defaultVaccineReference();
    const covid = tx.filter((t) => reference.isCovid19Item(t.items[0]!));
    expect(covid.length).toBe(made.covid);
    expect(covid.every((t) => t.items[0]!.batch !== undefined)).toBe(true);
    expect(checkMessage(m, { today: '2026-03-10', reference }).filter((f) => f.severity !== 'info')).toEqual([]);
  });

  it('is reproducible for a seed', () => {
    const a = [...generateBatchChunks({ patients: 3, doses: 5, sender, now, seed: 7 })].join('');
    const b = [...generateBatchChunks({ patients: 3, doses: 5, sender, now, seed: 7 })].join('');
    expect(a).toBe(b);
  });

  it('refuses fewer doses than patients', () => {
    expect(() => [...generateBatchChunks({ patients: 3, doses: 2, sender })]).toThrow('doses');
  });

  it('streams a large file with the expected counts and a bounded heap', async () => {
    const file = path.join(dir, 'large.xml');
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    let peak = heapBefore;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
    const started = performance.now();
    const made = await generateBatchFile(file, { patients: 10_000, doses: 20_000, sender, now });
    const ms = performance.now() - started;
    clearInterval(timer);
    expect(statSync(file).size).toBe(made.bytes);
    expect(made.bytes).toBeGreaterThan(20_000 * 1000);
    // The file is ~25 MB: a generator holding it would add far more than this to the heap.
    expect(peak - heapBefore).toBeLessThan(60 * 1024 * 1024);
    let folders = 0;
    let transactions = 0;
    await streamKmehr(
      createReadStream(file) as AsyncIterable<Buffer>,
      {
        header: () => {},
        folder: (f) => {
          folders += 1;
          transactions += f.transactions.length;
        },
      },
      { maxBytes: 1 << 30, maxDepth: 64 },
    );
    expect({ folders, transactions }).toEqual({ folders: 10_000, transactions: 20_000 });
    console.log(JSON.stringify({ generated: made, ms: Math.round(ms), perSecond: Math.round(20_000 / (ms / 1000)) }));
  }, 120_000);
});
