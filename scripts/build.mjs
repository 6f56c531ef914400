#!/usr/bin/env node
// The build: `tsc -p tsconfig.build.json` (src/ → dist/, incremental), then every file under src/ that the code reads
// at run time and tsc does not emit (the WSDL/XSD contracts, the SQLite write thread's plain .mjs) copied beside the
// compiled modules, so `new URL('./x', import.meta.url)` finds the same files from dist/ as from src/.
// Plain JavaScript: it runs from `prepare` during `npm ci`, before anything could compile it.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');

/** Read at run time? Not TypeScript (compiled), not documentation. */
const isRuntimeAsset = (name) => !name.endsWith('.ts') && !name.endsWith('.md');

function tscPath() {
  try {
    return createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    return undefined;
  }
}

function copyAssets(from, to) {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) copyAssets(source, target);
    else if (isRuntimeAsset(entry.name)) {
      mkdirSync(to, { recursive: true });
      copyFileSync(source, target);
    }
  }
}

const tsc = tscPath();
if (tsc === undefined) {
  // `npm ci --omit=dev` runs `prepare` too, without TypeScript: a production install serves the dist/ built before.
  if (existsSync(path.join(dist, 'cli', 'main.js'))) {
    process.stderr.write('build: TypeScript is not installed (production install); serving the dist/ already built\n');
    process.exit(0);
  }
  process.stderr.write('build: TypeScript is not installed and there is no dist/: run `npm ci` (with dev dependencies) first\n');
  process.exit(1);
}
const compiled = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);
copyAssets(src, dist);
