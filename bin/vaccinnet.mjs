#!/usr/bin/env node
// The CLI runs the TypeScript sources through tsx's loader: no build step, so `npx vaccinnet` after
// `npm ci` always runs exactly the checked-out code.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
