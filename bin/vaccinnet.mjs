#!/usr/bin/env node
// The CLI runs the compiled JavaScript in dist/ (`npm run build`, run by `npm ci` through `prepare` and by `npm test`).
// Only main.js is imported here: each command loads its own code when it runs, so `--help` starts in a blink.
let main;
try {
  ({ main } = await import('../dist/cli/main.js'));
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/cli/main.js')) throw error;
  process.stderr.write('vaccinnet: dist/ is missing — run `npm run build` (or `npm ci`) in the vaccinnet folder first\n');
  process.exit(3);
}
process.exitCode = await main(process.argv.slice(2));
