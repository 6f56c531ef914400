#!/usr/bin/env node
// The CLI runs the TypeScript sources through tsx's loader: no build step, so `npx vaccinnet` after
// `npm ci` always runs exactly the checked-out code.
import { register } from 'tsx/esm/api';

// libxml2-wasm (the XSD validator's libxml2, ~1 MB of JavaScript with its WebAssembly inside) is loaded before tsx's
// loader is registered: through tsx it costs ~150 MB more RSS (measured: 239 vs 81 MB for the bare import), loaded
// first the ESM cache hands the same module to the sources below.
await import('libxml2-wasm');
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
