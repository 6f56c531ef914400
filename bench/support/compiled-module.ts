import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './repo-root.js';

/**
 * A module of the compiled registry (dist/), for bench children that must measure the JavaScript users run, not
 * tsx's transform of the sources (its keepNames wraps every named closure). tsx, which runs the bench file itself,
 * leaves .js files untouched. Type it with `typeof import('../../src/…')`.
 * @param sourcePath - the module's path under src/ with a `.js` ending, e.g. `server/start-registry.js`
 * @throws Error when dist/ has not been built
 */
export async function importCompiled<M>(sourcePath: string): Promise<M> {
  const file = path.join(REPO_ROOT, 'dist', sourcePath);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` before the bench`);
  return (await import(pathToFileURL(file).href)) as M;
}
