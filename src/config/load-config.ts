import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigurationError } from './configuration-error.js';
import { CLIENT_CERT_MODES, DEV_CA_TRUST_MODES, IDENTITY_RULES, PERSON_CHECKS, TLS_MIN_VERSIONS, type RegistryConfig } from './registry-config.js';

/** Where the repository's sibling `shared/` folder would hold the official KMEHR schema (development checkouts). */
const REPO_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

export function defaultSchemaDir(): string {
  const candidate = path.resolve(REPO_ROOT, '../shared/kmehr/schema');
  return existsSync(path.join(candidate, 'ehealth-kmehr/XSD/kmehr_elements-1_43.xsd')) ? candidate : '';
}

/**
 * our choice: TLS 1.2 with forward secrecy (ECDHE) and AEAD (GCM, ChaCha20-Poly1305) only — no static RSA key
 * exchange, no CBC, no SHA-1 MACs — plus the three TLS 1.3 suites (all ECDHE + AEAD by construction).
 */
export const TLS_CIPHERS = [
  'TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-ECDSA-CHACHA20-POLY1305', 'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

export function defaultConfig(dataDir = path.resolve('.vaccinnet')): RegistryConfig {
  return {
    dataDir,
    database: { url: `sqlite:${path.join(dataDir, 'vaccinnet.db')}` },
    server: {
      host: '127.0.0.1',
      port: 8443,
      tls: true,
      clientCertificates: 'optional',
      maxRequestBytes: 2 * 1024 * 1024,
      maxDeliveryBytes: 64 * 1024 * 1024,
      tlsMinVersion: 'TLSv1.2',
      tlsCiphers: TLS_CIPHERS,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 120_000,
      // Above the 60 s idle timeout of common load balancers, so they never reuse a connection we are closing.
      keepAliveTimeoutMs: 65_000,
      maxConnections: 1024,
    },
    metrics: { enabled: true, host: '127.0.0.1', port: 8444 },
    pki: { dir: path.join(dataDir, 'pki'), trustDevCa: 'auto', trustedCaFiles: [], crlFiles: [], crlGraceSeconds: 0 },
    kmehr: { schemaDir: defaultSchemaDir(), maxMessageBytes: 10 * 1024 * 1024, maxDepth: 64 },
    registry: { personCheck: 'register', timeZone: 'Europe/Brussels' },
    security: { timestampMaxAgeSeconds: 300, clockSkewSeconds: 300, identityRule: 'same-subject' },
    batch: { intervalSeconds: 5, workerInProcess: true, retentionDays: 30, maxAttempts: 5, retryDelaySeconds: 60, planningThread: true, leaseSeconds: 10 },
    log: { level: 'info' },
  };
}

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/**
 * Environment variables: `VACCINNET_` + the option path in upper snake case, dots as `_`
 * (`VACCINNET_DATABASE_URL` → database.url, `VACCINNET_SERVER_PORT` → server.port,
 * `VACCINNET_REGISTRY_PERSON_CHECK` → registry.personCheck). Lists are comma-separated.
 */
export function envKey(optionPath: string): string {
  return `VACCINNET_${optionPath.replace(/\./g, '_').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

function leafPaths(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? leafPaths(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

function coerce(raw: string, like: unknown, key: string): Json {
  if (typeof like === 'number') {
    const n = Number(raw);
    if (!Number.isFinite(n)) throw new Error(`${key} must be a number, got "${raw}"`);
    return n;
  }
  if (typeof like === 'boolean') {
    if (!['true', 'false', '1', '0'].includes(raw)) throw new Error(`${key} must be true or false, got "${raw}"`);
    return raw === 'true' || raw === '1';
  }
  if (Array.isArray(like)) return raw === '' ? [] : raw.split(',').map((s) => s.trim());
  return raw;
}

function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let node = target;
  for (const p of parts.slice(0, -1)) node = (node[p] ??= {}) as Record<string, unknown>;
  node[parts.at(-1)!] = value;
}

function getPath(source: object, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((n, p) => (n as Record<string, unknown> | undefined)?.[p], source);
}

function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = v !== null && typeof v === 'object' && !Array.isArray(v) && typeof base[k] === 'object'
      ? merge(base[k] as Record<string, unknown>, v as Record<string, unknown>)
      : v;
  }
  return out;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

function validate(c: RegistryConfig): void {
  const fail = (key: string, why: string): never => {
    throw new ConfigurationError(`configuration: ${key} ${why} (set it in the config file or ${envKey(key)})`);
  };
  if (!c.database.url) fail('database.url', 'is missing');
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(c.database.url)) fail('database.url', 'must start with sqlite: or postgres://');
  if (!Number.isInteger(c.server.port) || c.server.port < 0 || c.server.port > 65535) fail('server.port', 'must be 0..65535');
  if (!PERSON_CHECKS.includes(c.registry.personCheck)) fail('registry.personCheck', `must be one of ${PERSON_CHECKS.join(', ')}`);
  if (!CLIENT_CERT_MODES.includes(c.server.clientCertificates)) fail('server.clientCertificates', `must be one of ${CLIENT_CERT_MODES.join(', ')}`);
  if (!IDENTITY_RULES.includes(c.security.identityRule)) fail('security.identityRule', `must be one of ${IDENTITY_RULES.join(', ')}`);
  if (!DEV_CA_TRUST_MODES.includes(c.pki.trustDevCa)) fail('pki.trustDevCa', `must be one of ${DEV_CA_TRUST_MODES.join(', ')}`);
  if (c.pki.trustDevCa === 'never' && c.pki.trustedCaFiles.length === 0) fail('pki.trustDevCa', 'is never but pki.trustedCaFiles is empty: no caller could authenticate');
  if (c.batch.intervalSeconds <= 0) fail('batch.intervalSeconds', 'must be > 0');
  if (!Number.isInteger(c.batch.maxAttempts) || c.batch.maxAttempts < 1) fail('batch.maxAttempts', 'must be an integer ≥ 1');
  if (!(c.batch.retryDelaySeconds >= 0)) fail('batch.retryDelaySeconds', 'must be ≥ 0');
  if (!(c.batch.leaseSeconds >= 1)) fail('batch.leaseSeconds', 'must be ≥ 1');
  if ((c.server.certFile === undefined) !== (c.server.keyFile === undefined)) fail('server.certFile', 'and server.keyFile go together');
  if (!TLS_MIN_VERSIONS.includes(c.server.tlsMinVersion)) fail('server.tlsMinVersion', `must be one of ${TLS_MIN_VERSIONS.join(', ')}`);
  for (const key of ['headersTimeoutMs', 'requestTimeoutMs', 'keepAliveTimeoutMs', 'maxConnections'] as const) {
    if (!Number.isInteger(c.server[key]) || c.server[key] < 1) fail(`server.${key}`, 'must be an integer ≥ 1');
  }
  // Node refuses a request timeout below the headers timeout at listen time; say so here, naming both options.
  if (c.server.requestTimeoutMs < c.server.headersTimeoutMs) fail('server.requestTimeoutMs', 'must be ≥ server.headersTimeoutMs');
  if (!Number.isInteger(c.metrics.port) || c.metrics.port < 0 || c.metrics.port > 65535) fail('metrics.port', 'must be 0..65535');
  if (!(c.pki.crlGraceSeconds >= 0)) fail('pki.crlGraceSeconds', 'must be ≥ 0');
}

export interface LoadConfigOptions {
  /** A JSON file with any subset of the options. */
  readonly file?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Overrides from command-line flags, as option paths (`{'server.port': 0}`). */
  readonly overrides?: Readonly<Record<string, unknown>>;
}

/** Loads, validates and freezes the configuration; throws a ConfigurationError naming the bad key. */
export function loadConfig(options: LoadConfigOptions = {}): RegistryConfig {
  const env = options.env ?? process.env;
  const file = options.file ?? env['VACCINNET_CONFIG'];
  const fromFile = file ? readConfigFile(file) : {};
  // The data dir decides the defaults of other options (database, PKI, spool), so it is settled first, in the same
  // order as everything else: flag, environment, file, built-in.
  const dataDir = path.resolve(String(options.overrides?.['dataDir'] ?? env[envKey('dataDir')] ?? fromFile['dataDir'] ?? '.vaccinnet'));
  const defaults = defaultConfig(dataDir);
  let merged = merge(defaults as unknown as Record<string, unknown>, fromFile);
  for (const key of leafPaths(defaults)) {
    const raw = env[envKey(key)];
    if (raw !== undefined) setPath(merged, key, coerce(raw, getPath(defaults, key), key));
  }
  for (const [key, value] of Object.entries(options.overrides ?? {})) if (value !== undefined) setPath(merged, key, value);
  const metricsPortSet = getPath(fromFile, 'metrics.port') !== undefined || env[envKey('metrics.port')] !== undefined || options.overrides?.['metrics.port'] !== undefined;
  if (!metricsPortSet) {
    // our choice: the metrics listener sits next to the public port, so two registries on one host do not collide,
    // and a registry on any free port (tests, `--port 0`) takes any free port for its metrics too.
    const port = (merged['server'] as { port: number }).port;
    setPath(merged, 'metrics.port', port === 0 ? 0 : port + 1);
  }
  merged = structuredClone(merged);
  const config = merged as unknown as RegistryConfig;
  validate(config);
  return deepFreeze(config);
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigurationError(`configuration: the file ${file} (--config or VACCINNET_CONFIG) cannot be read: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigurationError(`configuration: the file ${file} (--config or VACCINNET_CONFIG) is not valid JSON: ${(error as Error).message}`);
  }
}
