import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { STATUS_CODES } from './catalogue.js';
import { RESERVED_CODES, RETIRED_CODES } from './code-lifecycle.js';

const SRC = fileURLToPath(new URL('..', import.meta.url));

/**
 * Where a code counts as raised: production source, not tests or test helpers, and not the files that only define
 * or list codes (the catalogue, its rendering, the echo rules naming which codes carry an INSZ).
 */
function raisingSource(): string {
  const listingOnly = /^status\/(codes-[\w-]+|catalogue|code-lifecycle|status-docs|echo)\.ts$/;
  const files = (readdirSync(SRC, { recursive: true }) as string[])
    .map((f) => f.split(path.sep).join('/'))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.split('/').includes('testing') && !listingOnly.test(f));
  return files.map((f) => readFileSync(path.join(SRC, f), 'utf8')).join('\n');
}

describe('status codes, both ways', () => {
  const source = raisingSource();
  const raised = (code: string): boolean => new RegExp(`['"\`]${code}['"\`]`).test(source);

  it('raises every code defined somewhere in src, unless it is reserved with a reason', () => {
    const unraised = STATUS_CODES.filter((code) => !raised(code) && !Object.hasOwn(RESERVED_CODES, code));
    expect(unraised, 'raise these codes, reserve them in code-lifecycle.ts with a reason, or retire them').toEqual([]);
  });

  it('keeps the reserved list honest: only defined codes that are not raised yet, each with a reason', () => {
    for (const [code, reason] of Object.entries(RESERVED_CODES)) {
      expect(STATUS_CODES, code).toContain(code);
      expect(raised(code), `${code} is raised now: take it off the reserved list`).toBe(false);
      expect(reason.length, code).toBeGreaterThan(10);
    }
  });

  it('never defines a retired code again', () => {
    for (const [code, reason] of Object.entries(RETIRED_CODES)) {
      expect(STATUS_CODES, `${code} was retired (${reason}) and may not be reused`).not.toContain(code);
      expect(Object.hasOwn(RESERVED_CODES, code), code).toBe(false);
    }
  });
});
