/**
 * Makes a bench run the compiled registry (dist/) instead of tsx's transform of the sources, so that benches measure
 * the JavaScript users run: tsx compiles with esbuild's `keepNames`, which wraps every named closure in `__name` (an
 * `Object.defineProperty` each time the closure is created) — a cost the tsc build does not have.
 * Use after tsx: `node --import tsx --import ./bench/support/compiled-sources.mjs bench/…` (bench/run.ts and the bench
 * children do). Hooks registered later run first, so tsx still resolves `../src/x.js` to `src/x.ts` and the hook then
 * swaps in `dist/x.js` when it exists; test helpers (`testing/`, not in the build) stay TypeScript and their own
 * imports of registry modules are swapped the same way, so no module is loaded twice.
 */
import { register } from 'node:module';

register('./compiled-sources-hooks.mjs', import.meta.url);
