import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type ValueError } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import { CONFIG_OPTIONS, envKey, fromEnvironment } from './config-options.js';
import { ConfigurationError, showValue, type ConfigurationProblem } from './configuration-error.js';
import { RegistryConfigSchema, type RegistryConfig } from './registry-config.js';

export { envKey } from './config-options.js';

/** Where the repository's sibling `shared/` folder would hold the official KMEHR schema (development checkouts). */
const REPO_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

function defaultSchemaDir(): string {
  const candidate = path.resolve(REPO_ROOT, '../shared/kmehr/schema');
  return existsSync(path.join(candidate, 'ehealth-kmehr/XSD/kmehr_elements-1_43.xsd')) ? candidate : '';
}

// Compiled once per process: validation of a start-up config is then a plain function call.
const CHECK = TypeCompiler.Compile(RegistryConfigSchema);

export interface LoadConfigOptions {
  /** A JSON file with any subset of the options. */
  readonly file?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Overrides from command-line flags, as option paths (`{'server.port': 0}`). */
  readonly overrides?: Readonly<Record<string, unknown>>;
}

type Tree = Record<string, unknown>;

/**
 * Loads, validates and freezes the configuration: built-in defaults ← JSON file ← VACCINNET_* environment ← flags.
 * Throws one ConfigurationError (CONFIG_INVALID) naming every wrong key, the value found and why.
 */
export function loadConfig(options: LoadConfigOptions = {}): RegistryConfig {
  const env = options.env ?? process.env;
  const file = options.file ?? env['VACCINNET_CONFIG'];
  const tree: Tree = file ? readConfigFile(file) : {};
  for (const { key, schema } of CONFIG_OPTIONS) {
    const raw = env[envKey(key)];
    if (raw !== undefined) setPath(tree, key, fromEnvironment(raw, schema));
  }
  // Copied: the result is deep-frozen, and a caller's array must not be frozen with it.
  for (const [key, value] of Object.entries(options.overrides ?? {})) if (value !== undefined) setPath(tree, key, structuredClone(value));
  const config = Value.Default(RegistryConfigSchema, tree) as Tree;
  deriveDefaults(config);
  const problems = [...CHECK.Errors(config)].map(toProblem);
  if (problems.length === 0) problems.push(...crossChecks(config as unknown as RegistryConfig));
  if (problems.length > 0) throw ConfigurationError.invalid(dedupe(problems), whereToSet);
  return deepFreeze(config as unknown as RegistryConfig);
}

/**
 * The defaults that follow other options, filled once those are settled (in the same order as everything else:
 * flag, environment, file, built-in). A dataDir moves every default inside it.
 */
function deriveDefaults(config: Tree): void {
  config['dataDir'] = path.resolve(typeof config['dataDir'] === 'string' && config['dataDir'] !== '' ? config['dataDir'] : '.vaccinnet');
  const dataDir = config['dataDir'] as string;
  // A group given as something else than an object is refused by validation; derive nothing into it.
  const group = (name: string): Tree => {
    const value = config[name];
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Tree) : {};
  };
  group('database')['url'] ??= `sqlite:${path.join(dataDir, 'vaccinnet.db')}`;
  group('pki')['dir'] ??= path.join(dataDir, 'pki');
  group('kmehr')['schemaDir'] ??= defaultSchemaDir();
  // our choice: the metrics listener sits next to the public port, so two registries on one host do not collide,
  // and a registry on any free port (tests, `--port 0`) takes any free port for its metrics too.
  const port = group('server')['port'];
  if (group('metrics')['port'] === undefined && typeof port === 'number') group('metrics')['port'] = port === 0 ? 0 : port + 1;
}

/** Rules between options, which a per-key schema cannot say. */
function crossChecks(c: RegistryConfig): ConfigurationProblem[] {
  const problems: ConfigurationProblem[] = [];
  if (c.pki.trustDevCa === 'never' && c.pki.trustedCaFiles.length === 0) {
    problems.push({ key: 'pki.trustDevCa', why: 'is never but pki.trustedCaFiles is empty: no caller could authenticate' });
  }
  if ((c.server.certFile === undefined) !== (c.server.keyFile === undefined)) {
    problems.push({
      key: c.server.certFile === undefined ? 'server.certFile' : 'server.keyFile',
      why: 'is missing: server.certFile and server.keyFile go together',
    });
  }
  // Node refuses a request timeout below the headers timeout at listen time; say so here, naming both options.
  if (c.server.requestTimeoutMs < c.server.headersTimeoutMs) problems.push({ key: 'server.requestTimeoutMs', why: 'must be ≥ server.headersTimeoutMs' });
  return problems;
}

const whereToSet = (key: string): string => `set it in the config file or ${envKey(key)}`;

function toProblem(error: ValueError): ConfigurationProblem {
  const segments = error.path.split('/').slice(1);
  const key = segments.join('.');
  if (error.schema === undefined || error.message === 'Unexpected property') return { key, why: 'is not an option', where: 'see docs/configuration.md' };
  if (error.value === undefined) return { key, why: 'is missing' };
  return { key, shown: showValue(error.value, error.schema['secret'] === true), why: expectation(error.schema) };
}

/** What a value of this schema must be, in the words of docs/configuration.md. */
function expectation(schema: TSchema): string {
  if (Array.isArray(schema['anyOf'])) return `must be one of ${(schema['anyOf'] as TSchema[]).map((s) => String(s['const'])).join(', ')}`;
  if (typeof schema['why'] === 'string') return schema['why'];
  const bounds = [
    schema['minimum'] !== undefined && schema['maximum'] !== undefined ? ` in ${schema['minimum']}..${schema['maximum']}` : '',
    schema['minimum'] !== undefined && schema['maximum'] === undefined ? ` ≥ ${schema['minimum']}` : '',
    schema['exclusiveMinimum'] !== undefined ? ` > ${schema['exclusiveMinimum']}` : '',
  ].join('');
  switch (schema['type']) {
    case 'integer':
      return `must be an integer${bounds}`;
    case 'number':
      return `must be a number${bounds}`;
    case 'boolean':
      return 'must be true or false';
    case 'array':
      return 'must be a list of paths (comma-separated in the environment)';
    case 'object':
      return 'must be a group of options';
    case 'string':
      return schema['pattern'] !== undefined ? `must match ${schema['pattern']}` : 'must be a non-empty string';
    default:
      return 'has the wrong type';
  }
}

/** TypeBox may report one key twice (type, then bounds): one sentence per key is enough. */
function dedupe(problems: readonly ConfigurationProblem[]): ConfigurationProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => !seen.has(p.key) && seen.add(p.key));
}

function setPath(target: Tree, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let node = target;
  for (const p of parts.slice(0, -1)) {
    const next = node[p];
    node = (next !== null && typeof next === 'object' && !Array.isArray(next) ? next : (node[p] = {})) as Tree;
  }
  node[parts.at(-1)!] = value;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

function readConfigFile(file: string): Tree {
  const fail = (why: string): never => {
    throw ConfigurationError.invalid([{ key: `the file ${file}`, why, where: '--config or VACCINNET_CONFIG' }], whereToSet);
  };
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    fail(`cannot be read: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    fail(`is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) fail('must hold one JSON object of options');
  return parsed as Tree;
}
