/**
 * A configuration the registry cannot start with. Its message is one sentence naming the option (and its environment
 * variable) an operator has to fix; the CLI prints just that sentence, without a stack trace.
 */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}
