import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { libxml2Versions, WASM_LIBXML2 } from './libxml2.js';

describe('libxml2Versions (logged at server start, issue 18)', () => {
  it('names the installed libxml2-wasm version (a dependency bump without updating the log line fails here)', () => {
    const { version } = createRequire(import.meta.url)('libxml2-wasm/package.json') as { version: string };
    expect(WASM_LIBXML2).toContain(`libxml2-wasm ${version} `);
    expect(libxml2Versions().wasm).toBe(WASM_LIBXML2);
  });

  it("names xmllint's libxml2 and, on Debian, the patched package version", () => {
    const v = libxml2Versions();
    expect(v.xmllint).toMatch(/using libxml version \d{5}/);
    expect(v.debianPackage).toMatch(/^2\.\d+\.\d+\+dfsg-\S+$/);
    expect(Object.isFrozen(v)).toBe(true);
  });
});
