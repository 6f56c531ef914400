import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Vitest global setup: brings dist/ up to date (incremental, ~3 s when nothing changed) before any test runs, because
 * the tests that start the CLI, a server child, a worker thread or the XSD worker run the compiled JavaScript, as
 * users do. In-process tests keep importing the TypeScript sources.
 */
export function setup(): void {
  execFileSync(process.execPath, [fileURLToPath(new URL('./build.mjs', import.meta.url))], { stdio: 'inherit' });
}
