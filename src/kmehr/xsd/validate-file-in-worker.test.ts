import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { batchFolder, batchMessage } from '../generate-batch.js';
import { schemaCompilations } from './compiled-schema.js';
import { stopXsdWorker, validateFileInWorker } from './validate-file-in-worker.js';
import { createXsdValidator } from './xsd-validator.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const schemaDir = path.resolve(repoRoot, '../shared/kmehr/schema');
const vaccinations = path.resolve(repoRoot, '../shared/kmehr/samples/vitalink-evs/vaccination');
const scratch = mkdtempSync(path.join(tmpdir(), 'xsd-worker-'));
afterAll(async () => {
  await stopXsdWorker();
  rmSync(scratch, { recursive: true, force: true });
});

/** A valid batch file of `folders` folders, written in pieces. */
function batchFile(name: string, folders: number): string {
  const file = path.join(scratch, name);
  const fd = openSync(file, 'w');
  writeSync(fd, batchMessage(0).replace(/<\/kmehrmessage>\s*$/, ''));
  for (let i = 0; i < folders; i += 500) {
    let chunk = '';
    for (let j = i; j < Math.min(folders, i + 500); j++) chunk += batchFolder(j);
    writeSync(fd, chunk);
  }
  writeSync(fd, '</kmehrmessage>\n');
  closeSync(fd);
  return file;
}

describe('validateFileInWorker', () => {
  it('gives the same findings as the in-thread validator, valid and invalid, without compiling in this process', async () => {
    const inThread = createXsdValidator(schemaDir);
    const before = schemaCompilations();
    const valid = path.join(vaccinations, 'vaccination-with-cdatc-and-batch.xml');
    const invalid = path.join(vaccinations, 'vaccination-with-unparsable-content.xml');
    const [validFindings, invalidFindings] = await Promise.all([validateFileInWorker(schemaDir, valid), validateFileInWorker(schemaDir, invalid)]);
    expect(validFindings).toEqual([]);
    expect(invalidFindings.length).toBeGreaterThan(0);
    expect(invalidFindings[0]!.code).toBe('KMEHR_XSD_INVALID');
    expect(invalidFindings).toEqual(inThread.validateFile(invalid));
    expect(Object.isFrozen(invalidFindings[0])).toBe(true);
    expect(schemaCompilations()).toBe(before); // the worker compiled its own schema
  });

  it('leaves this thread free while libxml2 validates a batch', async () => {
    const file = batchFile('batch.xml', 3000); // ~5 MB: validation takes a few hundred ms
    let ticks = 0;
    let done = false;
    const result = validateFileInWorker(schemaDir, file).finally(() => {
      done = true;
    });
    while (!done) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      ticks++;
    }
    expect(await result).toEqual([]);
    expect(ticks).toBeGreaterThan(10); // a synchronous validation would allow exactly one
  });

  it('refuses a DOCTYPE like the in-thread validator and rejects an unreadable file', async () => {
    const doctype = path.join(scratch, 'doctype.xml');
    writeFileSync(doctype, '<?xml version="1.0"?><!DOCTYPE kmehrmessage [<!ENTITY x "y">]><kmehrmessage/>');
    expect(await validateFileInWorker(schemaDir, doctype)).toEqual(createXsdValidator(schemaDir).validateFile(doctype));
    await expect(validateFileInWorker(schemaDir, path.join(scratch, 'missing.xml'))).rejects.toThrow(/ENOENT/);
    // The worker survives a failed request.
    expect(await validateFileInWorker(schemaDir, path.join(vaccinations, 'vaccination-with-cdatc-and-batch.xml'))).toEqual([]);
  });
});
