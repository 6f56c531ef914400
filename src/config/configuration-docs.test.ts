import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_OPTIONS, envKey } from './config-options.js';

/** The rows of the options table: option, environment variable, type, default (backticks kept). */
function documentedRows(): Map<string, { env: string; type: string; default: string }> {
  const doc = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
  const rows = new Map<string, { env: string; type: string; default: string }>();
  for (const m of doc.matchAll(/^\| `([\w.]+)` \| `(VACCINNET_\w+)` \| ([^|]+(?:\\\|[^|]+)*?) \| ([^|]+) \|/gm)) {
    rows.set(m[1]!, { env: m[2]!, type: m[3]!.trim(), default: m[4]!.trim() });
  }
  return rows;
}

describe('docs/configuration.md', () => {
  const rows = documentedRows();

  it('documents every option of the schema with its environment variable, and nothing the schema lacks', () => {
    for (const { key } of CONFIG_OPTIONS) expect(rows.get(key)?.env, key).toBe(envKey(key));
    expect([...rows.keys()].sort()).toEqual(CONFIG_OPTIONS.map((o) => o.key).sort());
  });

  it('gives each closed list its values and each fixed number or boolean its schema default', () => {
    for (const { key, schema } of CONFIG_OPTIONS) {
      const row = rows.get(key)!;
      if (Array.isArray(schema['anyOf']) && key !== 'log.level') {
        expect(row.type, key).toBe((schema['anyOf'] as { const: string }[]).map((s) => `\`${s.const}\``).join(' \\| '));
      }
      if (typeof schema.default === 'number' || typeof schema.default === 'boolean' || Array.isArray(schema['anyOf'])) {
        expect(row.default, key).toBe(`\`${String(schema.default)}\``);
      }
    }
  });
});
