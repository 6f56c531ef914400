import { formatMessage } from '../status/catalogue.js';
import { bound } from '../status/echo.js';

/** The catalogue codes a configuration the registry cannot start with is reported under. */
export type ConfigurationCode = 'CONFIG_INVALID' | 'CONFIG_CRL_UNUSABLE';

/** One option that is wrong: its key, the value found (already bounded and masked) and why it cannot be used. */
export interface ConfigurationProblem {
  readonly key: string;
  /** How the value may be shown: quoted and cut to a few dozen characters, `(hidden)` for a secret. */
  readonly shown?: string;
  readonly why: string;
  /** Where to fix it, when not the option's own place (an unknown key, the config file itself). */
  readonly where?: string;
}

/**
 * A configuration the registry cannot start with. Its message is one `CONFIG_INVALID` sentence per wrong option,
 * each naming the option and its environment variable; the CLI prints just that, without a stack trace.
 */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';

  constructor(
    message: string,
    readonly code: ConfigurationCode = 'CONFIG_INVALID',
    readonly problems: readonly ConfigurationProblem[] = [],
  ) {
    super(message);
  }

  /** One error for every wrong option found, so an operator fixes them in one go rather than one start at a time. */
  static invalid(problems: readonly ConfigurationProblem[], whereToSet: (key: string) => string): ConfigurationError {
    const lines = problems.map((p) =>
      formatMessage('CONFIG_INVALID', { detail: `${p.key} ${p.why}${p.shown === undefined ? '' : `, not ${p.shown}`} (${p.where ?? whereToSet(p.key)})` }),
    );
    return new ConfigurationError(lines.join('\n'), 'CONFIG_INVALID', problems);
  }
}

/**
 * A value as an error may repeat it: JSON-quoted and bounded (a pasted certificate must not flood the terminal),
 * or `(hidden)` when the option is a secret (a database URL with its password).
 */
export function showValue(value: unknown, secret: boolean): string {
  if (secret) return '(hidden)';
  return bound(JSON.stringify(value) ?? String(value));
}
