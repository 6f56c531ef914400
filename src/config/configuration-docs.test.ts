import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultConfig, envKey } from './load-config.js';

function leafPaths(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? leafPaths(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

describe('docs/configuration.md', () => {
  it('documents every option with its environment variable', () => {
    const doc = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    const options = [...leafPaths(defaultConfig('/x')), 'server.certFile', 'server.keyFile'];
    for (const option of options) {
      expect(doc, option).toContain(`| \`${option}\` | \`${envKey(option)}\` |`);
    }
  });
});
