/**
 * The registry's configuration: defaults ← JSON file ← VACCINNET_* environment variables, validated once and
 * deep-frozen. Every option is documented in docs/configuration.md (kept in step by a test).
 */
export const PERSON_CHECKS = ['register', 'checksum'] as const;
export type PersonCheck = (typeof PERSON_CHECKS)[number];

/** Whether the development CA is a trust anchor: `auto` = only in the demo or when no operator CA is configured. */
export const DEV_CA_TRUST_MODES = ['auto', 'always', 'never'] as const;
export type DevCaTrust = (typeof DEV_CA_TRUST_MODES)[number];

export const TLS_MIN_VERSIONS = ['TLSv1.2', 'TLSv1.3'] as const;
export type TlsMinVersion = (typeof TLS_MIN_VERSIONS)[number];
/** `same-subject`: the same SSIN (person) or identifier type + number (organisation); `same-certificate`: one certificate. */
export const IDENTITY_RULES = ['same-subject', 'same-certificate'] as const;
export type IdentityRule = (typeof IDENTITY_RULES)[number];

export const CLIENT_CERT_MODES = ['off', 'optional'] as const;
export type ClientCertMode = (typeof CLIENT_CERT_MODES)[number];

export interface RegistryConfig {
  /** Where the embedded database, the dev CA, the demo certificates and batch deliveries live. */
  readonly dataDir: string;
  readonly database: {
    /** `sqlite:<path>` (default `sqlite:<dataDir>/vaccinnet.db`) or `postgres://user@host:port/db`. */
    readonly url: string;
  };
  readonly server: {
    readonly host: string;
    readonly port: number;
    /** Serve HTTPS (server certificate from the dev CA unless certFile/keyFile are given). */
    readonly tls: boolean;
    readonly certFile?: string;
    readonly keyFile?: string;
    /** `optional`: ask for a TLS client certificate and accept it as the caller's identity when present. */
    readonly clientCertificates: ClientCertMode;
    /** Largest RegistratieService request body in bytes. */
    readonly maxRequestBytes: number;
    /** Largest BatchUpload delivery body in bytes. */
    readonly maxDeliveryBytes: number;
    /** Oldest TLS protocol version accepted: `TLSv1.2` (ECDHE + AEAD suites only, see `tlsCiphers`) or `TLSv1.3`. */
    readonly tlsMinVersion: TlsMinVersion;
    /** OpenSSL cipher list for TLS 1.2 plus the TLS 1.3 suites (Node takes both from one string). */
    readonly tlsCiphers: string;
    /** Time a client gets to send the request headers (and, on TLS, to finish the handshake), ms. */
    readonly headersTimeoutMs: number;
    /** Time a client gets to send the whole request, body included, ms. */
    readonly requestTimeoutMs: number;
    /** How long an idle keep-alive connection stays open, ms. */
    readonly keepAliveTimeoutMs: number;
    /** Most open connections on the public listener; further ones are closed at once. */
    readonly maxConnections: number;
  };
  /** Prometheus `/metrics`: on a listener of its own, never on the public port. */
  readonly metrics: {
    readonly enabled: boolean;
    readonly host: string;
    /** Default: `server.port + 1` (any free port when `server.port` is 0). */
    readonly port: number;
  };
  readonly pki: {
    /** Folder of the development CA (`vaccinnet pki init`); it issues the server certificate unless one is configured. */
    readonly dir: string;
    /**
     * Trust certificates of the development CA: `auto` (default) only for the demo (`npm start`) or when
     * `trustedCaFiles` is empty (a development setup); an operator who lists its own CAs does not trust it unless
     * it says `always`.
     */
    readonly trustDevCa: DevCaTrust;
    /** Extra trusted CA certificate files (PEM). */
    readonly trustedCaFiles: readonly string[];
    /** Extra CRL files (PEM), re-read when they change. */
    readonly crlFiles: readonly string[];
    /** How long after a CRL's nextUpdate its CA's certificates are still accepted, seconds (0: refused at once). */
    readonly crlGraceSeconds: number;
  };
  readonly kmehr: {
    /** Folder holding `ehealth-kmehr/XSD/kmehr_elements-1_43.xsd`; empty = XSD validation off (said in every answer). */
    readonly schemaDir: string;
    readonly maxMessageBytes: number;
    readonly maxDepth: number;
  };
  readonly registry: {
    /** `register`: an unknown INSZ is refused (as in the real acceptance environment); `checksum`: check digits only. */
    readonly personCheck: PersonCheck;
    /** The registry clock's time zone for "not in the future" and registration dates. */
    readonly timeZone: string;
  };
  readonly security: {
    /** Largest accepted age of a WS-Security Timestamp `Created`, seconds. */
    readonly timestampMaxAgeSeconds: number;
    /** Allowed clock difference with the caller, seconds. */
    readonly clockSkewSeconds: number;
    /** When a call brings a TLS client certificate and a WS-Security signature, what makes them one caller. */
    readonly identityRule: IdentityRule;
  };
  readonly batch: {
    /** Seconds between processing rounds (3600 = hourly, as the real acceptance environment). */
    readonly intervalSeconds: number;
    /** Run the batch processor inside the server process (a separate `vaccinnet worker` can run as well). */
    readonly workerInProcess: boolean;
    /** How long delivery results stay available, days. */
    readonly retentionDays: number;
    /** Attempts (claims) a delivery gets before it is failed for good with BATCH_PROCESSING_FAILED. */
    readonly maxAttempts: number;
    /** Back-off after a failed attempt, seconds; doubles with each further attempt (at most one hour). */
    readonly retryDelaySeconds: number;
    /** Read and plan deliveries of 1 MiB or more on a planning thread beside the one storing them (docs/batch.md §2). */
    readonly planningThread: boolean;
    /** A worker's lease on a delivery, seconds: renewed by its heartbeat; a dead worker's delivery moves on after it. */
    readonly leaseSeconds: number;
  };
  readonly log: {
    readonly level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  };
}
