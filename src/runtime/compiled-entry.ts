import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** src/, found from this file: src/runtime/compiled-entry.ts. */
const SOURCE_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The compiled JavaScript entry of a worker thread or child process that lives beside the caller. Threads and
 * children always run compiled code, so they start the same way under vitest as in production: from dist/ the
 * sibling `.js` file; from the TypeScript sources (vitest, tsx) the same file under dist/, which `npm run build`
 * (and vitest's global setup) keeps current. A thread does not inherit the tsx loader, and registering it inside
 * the thread cost +32 MB of RSS per thread (measured, issue 7).
 * @param callerUrl - `import.meta.url` of the module that starts the thread
 * @param fileName - the entry's compiled file name, e.g. `xsd-worker.js`
 * @throws Error when running from sources and the build has not produced the file
 */
export function compiledEntry(callerUrl: string, fileName: string): URL {
  const caller = fileURLToPath(callerUrl);
  if (!caller.endsWith('.ts')) return new URL(`./${fileName}`, callerUrl);
  const relativeDir = path.relative(SOURCE_ROOT, path.dirname(caller));
  const file = path.join(SOURCE_ROOT, '..', 'dist', relativeDir, fileName);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` (threads and workers run the compiled JavaScript)`);
  return pathToFileURL(file);
}
