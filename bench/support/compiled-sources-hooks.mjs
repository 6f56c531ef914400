/** The resolve hook of compiled-sources.mjs: `src/**.ts` → `dist/**.js` where the build has that file. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SRC = pathToFileURL(path.join(root, 'src') + path.sep).href;
const DIST = pathToFileURL(path.join(root, 'dist') + path.sep).href;

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  const url = resolved.url.split('?')[0];
  if (url.startsWith(SRC) && url.endsWith('.ts')) {
    const compiled = `${DIST}${url.slice(SRC.length, -3)}.js`;
    if (existsSync(fileURLToPath(compiled))) return { ...resolved, url: compiled, format: 'module' };
  }
  return resolved;
}
