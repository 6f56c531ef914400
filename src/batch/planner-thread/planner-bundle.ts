import { buildSync } from 'esbuild';
import { fileURLToPath } from 'node:url';

let code: string | undefined;

/**
 * The planning thread's code as one CommonJS script, bundled from the TypeScript sources once per process.
 * Why bundle (esbuild, which tsx already runs on): a worker thread does not inherit the tsx loader the registry
 * runs under, and registering tsx inside the thread starts a loader thread of its own — measured +32 MB of RSS per
 * planning thread against +5 MB for the bundle (158 KB, ~250 ms to build), and the batch memory budget is 300 MB.
 */
export function plannerThreadCode(): string {
  code ??= buildSync({
    entryPoints: [fileURLToPath(new URL('./planner-thread-main.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'error',
  }).outputFiles[0]!.text;
  return code;
}
