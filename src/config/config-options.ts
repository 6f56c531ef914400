import { Kind, type TSchema } from '@sinclair/typebox';
import { RegistryConfigSchema } from './registry-config.js';

/** One option of the configuration: its dotted path (`server.port`) and the schema of its value. */
export interface ConfigOption {
  readonly key: string;
  readonly schema: TSchema;
}

function leaves(schema: TSchema, prefix: string): ConfigOption[] {
  if (schema[Kind] !== 'Object') return [{ key: prefix, schema }];
  return Object.entries(schema['properties'] as Record<string, TSchema>).flatMap(([name, child]) => leaves(child, prefix ? `${prefix}.${name}` : name));
}

/** Every option, in schema order: what the environment can set and what docs/configuration.md must document. */
export const CONFIG_OPTIONS: readonly ConfigOption[] = Object.freeze(leaves(RegistryConfigSchema, ''));

/**
 * Environment variables: `VACCINNET_` + the option path in upper snake case, dots as `_`
 * (`VACCINNET_DATABASE_URL` → database.url, `VACCINNET_SERVER_PORT` → server.port,
 * `VACCINNET_REGISTRY_PERSON_CHECK` → registry.personCheck). Lists are comma-separated.
 */
export function envKey(optionPath: string): string {
  return `VACCINNET_${optionPath
    .replace(/\./g, '_')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()}`;
}

/**
 * An environment string as the type its option's schema asks for. A string that is not one (`port=abc`) is left as
 * it is, so validation refuses it with the same sentence as a wrong value in the file.
 */
export function fromEnvironment(raw: string, schema: TSchema): unknown {
  switch (schema['type']) {
    case 'integer':
    case 'number': {
      const n = Number(raw);
      return raw.trim() !== '' && Number.isFinite(n) ? n : raw;
    }
    case 'boolean':
      return raw === 'true' || raw === '1' ? true : raw === 'false' || raw === '0' ? false : raw;
    case 'array':
      return raw === '' ? [] : raw.split(',').map((s) => s.trim());
    default:
      return raw;
  }
}
