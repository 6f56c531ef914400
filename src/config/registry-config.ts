import { Type, type Static, type TInteger, type TLiteral, type TObject, type TProperties, type TUnion } from '@sinclair/typebox';

/**
 * The registry's configuration as one TypeBox schema: every option's type, bounds and built-in default live here,
 * and the TypeScript type is derived from it, so there is no second definition to drift. Loading (defaults ← JSON
 * file ← VACCINNET_* environment ← flags) is in load-config.ts; docs/configuration.md documents every option and a
 * test keeps it in step with this schema.
 *
 * Options whose default depends on another option (`database.url` and `pki.dir` under `dataDir`, `metrics.port`
 * next to `server.port`, `kmehr.schemaDir` when the sibling checkout holds the schema) have no `default` here:
 * load-config.ts derives them once the options they follow are settled.
 */
export const PERSON_CHECKS = ['register', 'checksum'] as const;

/** Whether the development CA is a trust anchor: `auto` = only in the demo or when no operator CA is configured. */
export const DEV_CA_TRUST_MODES = ['auto', 'always', 'never'] as const;

export const TLS_MIN_VERSIONS = ['TLSv1.2', 'TLSv1.3'] as const;
/** `same-subject`: the same SSIN (person) or identifier type + number (organisation); `same-certificate`: one certificate. */
export const IDENTITY_RULES = ['same-subject', 'same-certificate'] as const;
export type IdentityRule = (typeof IDENTITY_RULES)[number];

export const CLIENT_CERT_MODES = ['off', 'optional'] as const;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * our choice: TLS 1.2 with forward secrecy (ECDHE) and AEAD (GCM, ChaCha20-Poly1305) only — no static RSA key
 * exchange, no CBC, no SHA-1 MACs — plus the three TLS 1.3 suites (all ECDHE + AEAD by construction).
 */
export const TLS_CIPHERS = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

/** One of a closed list (the `as const` arrays above stay the one source of the values). */
function oneOf<const T extends readonly string[]>(values: T, options: { default?: T[number]; description?: string } = {}): TUnion<TLiteral<T[number]>[]> {
  return Type.Union(
    values.map((v) => Type.Literal(v)),
    options,
  );
}

/** A group of options: unknown keys are refused (a typo must not be silently ignored), missing ones take defaults. */
function group<T extends TProperties>(properties: T, description?: string): TObject<T> {
  return Type.Object(properties, { additionalProperties: false, default: {}, ...(description && { description }) });
}

const port = (description: string, defaultPort?: number): TInteger =>
  Type.Integer({ minimum: 0, maximum: 65535, description, ...(defaultPort !== undefined && { default: defaultPort }) });
const atLeastOne = (defaultValue: number, description: string): TInteger => Type.Integer({ minimum: 1, default: defaultValue, description });

export const RegistryConfigSchema = Type.Object(
  {
    dataDir: Type.String({ minLength: 1, description: 'Where the embedded database, the dev CA, the demo certificates and batch deliveries live.' }),
    database: group({
      // A PostgreSQL URL may carry a password: an error never repeats this value (`secret`).
      url: Type.String({
        pattern: '^(sqlite:|postgres(ql)?://)',
        secret: true,
        why: 'must start with sqlite: or postgres://',
        description: '`sqlite:<path>` (default `sqlite:<dataDir>/vaccinnet.db`) or `postgres://user@host:port/db`.',
      }),
    }),
    server: group({
      host: Type.String({ minLength: 1, default: '127.0.0.1' }),
      port: port('Listen port (0 = any free port).', 8443),
      tls: Type.Boolean({ default: true, description: 'Serve HTTPS (server certificate from the dev CA unless certFile/keyFile are given).' }),
      certFile: Type.Optional(Type.String({ minLength: 1, description: 'Server certificate (PEM); goes with keyFile.' })),
      keyFile: Type.Optional(Type.String({ minLength: 1, description: 'Server private key (PEM); goes with certFile.' })),
      clientCertificates: oneOf(CLIENT_CERT_MODES, {
        default: 'optional',
        description: "`optional`: ask for a TLS client certificate and accept it as the caller's identity when present.",
      }),
      maxRequestBytes: atLeastOne(2 * 1024 * 1024, 'Largest RegistratieService request body in bytes.'),
      maxDeliveryBytes: atLeastOne(64 * 1024 * 1024, 'Largest BatchUpload delivery body in bytes.'),
      tlsMinVersion: oneOf(TLS_MIN_VERSIONS, {
        default: 'TLSv1.2',
        description: 'Oldest TLS protocol version accepted (TLS 1.2: ECDHE + AEAD suites only, see tlsCiphers).',
      }),
      tlsCiphers: Type.String({
        minLength: 1,
        default: TLS_CIPHERS,
        description: 'OpenSSL cipher list for TLS 1.2 plus the TLS 1.3 suites (Node takes both from one string).',
      }),
      headersTimeoutMs: atLeastOne(10_000, 'Time a client gets to send the request headers (and, on TLS, to finish the handshake), ms.'),
      requestTimeoutMs: atLeastOne(120_000, 'Time a client gets to send the whole request, body included, ms.'),
      // Above the 60 s idle timeout of common load balancers, so they never reuse a connection we are closing.
      keepAliveTimeoutMs: atLeastOne(65_000, 'How long an idle keep-alive connection stays open, ms.'),
      maxConnections: atLeastOne(1024, 'Most open connections on the public listener; further ones are closed at once.'),
    }),
    metrics: group(
      {
        enabled: Type.Boolean({ default: true }),
        host: Type.String({ minLength: 1, default: '127.0.0.1' }),
        port: port('Default: server.port + 1 (any free port when server.port is 0).'),
      },
      'Prometheus /metrics: on a listener of its own, never on the public port.',
    ),
    pki: group({
      dir: Type.String({ minLength: 1, description: 'Folder of the development CA (`vaccinnet pki init`); default <dataDir>/pki.' }),
      trustDevCa: oneOf(DEV_CA_TRUST_MODES, {
        default: 'auto',
        description: 'Trust the development CA: auto = only for the demo or when trustedCaFiles is empty.',
      }),
      trustedCaFiles: Type.Array(Type.String({ minLength: 1 }), { default: [], description: 'Extra trusted CA certificate files (PEM).' }),
      crlFiles: Type.Array(Type.String({ minLength: 1 }), { default: [], description: 'Extra CRL files (PEM), re-read when they change.' }),
      crlGraceSeconds: Type.Number({
        minimum: 0,
        default: 0,
        description: "How long after a CRL's nextUpdate its CA's certificates are still accepted, seconds.",
      }),
    }),
    kmehr: group({
      schemaDir: Type.String({ description: 'Folder holding ehealth-kmehr/XSD/kmehr_elements-1_43.xsd; empty = XSD validation off (said in every answer).' }),
      maxMessageBytes: atLeastOne(10 * 1024 * 1024, 'Largest KMEHR message in bytes.'),
      maxDepth: atLeastOne(64, 'Deepest element nesting accepted.'),
    }),
    registry: group({
      personCheck: oneOf(PERSON_CHECKS, { default: 'register', description: '`register`: an unknown INSZ is refused; `checksum`: check digits only.' }),
      timeZone: Type.String({
        minLength: 1,
        default: 'Europe/Brussels',
        description: 'The registry clock\'s time zone for "not in the future" and registration dates.',
      }),
    }),
    access: group(
      {
        eidLinkMonths: atLeastOne(15, 'Validity in months of a therapeutic link declared without an end after an eID reading or card number.'),
        otherLinkMonths: atLeastOne(3, 'Validity in months of a therapeutic link declared without an end on any other proof.'),
        breakTheGlass: Type.Boolean({
          default: false,
          description: 'Allow break-the-glass reads (reason required, audited and flagged) by care providers without consent or link.',
        }),
      },
      "Who may read a person's vaccinations (docs/access.md).",
    ),
    security: group({
      timestampMaxAgeSeconds: Type.Number({ minimum: 0, default: 300, description: 'Largest accepted age of a WS-Security Timestamp Created, seconds.' }),
      clockSkewSeconds: Type.Number({ minimum: 0, default: 300, description: 'Allowed clock difference with the caller, seconds.' }),
      identityRule: oneOf(IDENTITY_RULES, {
        default: 'same-subject',
        description: 'When a call brings a TLS client certificate and a signature, what makes them one caller.',
      }),
    }),
    batch: group({
      intervalSeconds: Type.Number({
        exclusiveMinimum: 0,
        default: 5,
        description: 'Seconds between processing rounds (3600 = hourly, as the real acceptance environment).',
      }),
      workerInProcess: Type.Boolean({ default: true, description: 'Run the batch processor inside the server process.' }),
      retentionDays: Type.Number({ minimum: 0, default: 30, description: 'How long delivery results stay available, days.' }),
      maxAttempts: atLeastOne(5, 'Attempts a delivery gets before it is failed for good with BATCH_PROCESSING_FAILED.'),
      retryDelaySeconds: Type.Number({
        minimum: 0,
        default: 60,
        description: 'Back-off after a failed attempt, seconds; doubles with each further attempt (at most one hour).',
      }),
      planningThread: Type.Boolean({ default: true, description: 'Read and plan deliveries of 1 MiB or more on a planning thread (docs/batch.md §2).' }),
      leaseSeconds: Type.Number({ minimum: 1, default: 10, description: "A worker's lease on a delivery, seconds, renewed by its heartbeat." }),
    }),
    log: group({
      level: oneOf(LOG_LEVELS, { default: 'info' }),
    }),
  },
  { additionalProperties: false },
);

type DeepReadonly<T> = T extends readonly (infer E)[] ? readonly DeepReadonly<E>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

/** The validated, deep-frozen configuration (derived from {@link RegistryConfigSchema}: one definition). */
export type RegistryConfig = DeepReadonly<Static<typeof RegistryConfigSchema>>;
