import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * INSZ/SSIN numbers are personal data: every log line is masked before it is written. Known fields are masked by
 * pino's redaction (compiled once); anything else that looks like an 11-digit national number inside a string
 * (a message, an error text, an XPath value) is masked by the hook below, so a careless log call cannot leak one.
 */
// A hex token of 32+ characters with a letter in it (a certificate fingerprint, a SHA-256) is passed over whole:
// one whose digits happened to form an 11-digit run was masked, so a logged fingerprint no longer matched the
// certificate's. An INSZ written next to letters (`code85071412330`, even `ABCDEF85071412330`) is still masked.
const ELEVEN_DIGITS = /(?<![0-9A-Fa-f])(?=\d*[A-Fa-f])[0-9A-Fa-f]{32,}|(?<!\d)(\d{6})\d{5}(?!\d)/g;

export function maskNationalNumbers(text: string): string {
  return text.replace(ELEVEN_DIGITS, (match: string, head: string | undefined) => (head === undefined ? match : `${head}*****`));
}

function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskNationalNumbers(value);
  if (value === null || typeof value !== 'object') return value;
  // Not walked any deeper: written as it is, its strings would bypass the mask.
  if (depth > 4) return '[nested too deep to log]';
  if (value instanceof Error) {
    return { type: value.name, message: maskNationalNumbers(value.message), stack: value.stack && maskNationalNumbers(value.stack) };
  }
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskDeep(v, depth + 1);
  return out;
}

export interface LoggerOptions {
  readonly level?: string;
  /** Tests pass an in-memory sink to assert on log objects. */
  readonly destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'vaccinnet' },
      redact: {
        paths: ['patientId', 'ssin', 'insz', '*.patientId', '*.ssin', '*.insz', 'req.headers.authorization'],
        censor: (value) => (typeof value === 'string' ? maskNationalNumbers(value) : '[redacted]'),
      },
      formatters: { log: (object) => maskDeep(object) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? maskNationalNumbers(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    options.destination,
  );
}
