import type { Finding } from '../../status/finding.js';
import type { SetExitCode } from '../commands.js';
import { UsageError } from '../client-options.js';

/**
 * The operator's input was understood but refused (bad check digits, unknown profile, invalid CSV rows): exit 1.
 * Each line is printed as it is; lines made from findings start with the catalogue code.
 */
export class RefusedError extends Error {
  override readonly name = 'RefusedError';
  readonly lines: readonly string[];

  constructor(lines: readonly string[]) {
    super(lines.join('\n'));
    this.lines = Object.freeze([...lines]);
  }

  /** A refusal made of catalogue findings: `CODE: sentence` per finding. */
  static of(...findings: readonly Finding[]): RefusedError {
    return new RefusedError(findings.map(findingLine));
  }
}

/** `INSZ_CHECKSUM: The INSZ/SSIN 850714***** at --ssin has wrong check digits.` */
export function findingLine(f: Finding): string {
  return `${f.code}: ${f.message}`;
}

/**
 * Runs an admin command body: 0 on success, 1 for a refusal, 2 for a usage mistake; configuration and database
 * errors are refusals too (one clear line, no stack), because the operator can fix them.
 */
export async function runAdmin(setExitCode: SetExitCode, body: () => Promise<void>): Promise<void> {
  try {
    await body();
    setExitCode(0);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`vaccinnet: ${error.message}\n`);
      setExitCode(2);
    } else if (error instanceof RefusedError) {
      process.stderr.write(`${error.lines.map((l) => `refused: ${l}`).join('\n')}\n`);
      setExitCode(1);
    } else {
      const e = error as Error & { cause?: unknown };
      const cause = e.cause instanceof Error ? ` (${e.cause.message})` : '';
      process.stderr.write(`vaccinnet: ${e.message}${cause}\n`);
      setExitCode(1);
    }
  }
}
