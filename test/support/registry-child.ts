/**
 * Child process of the memory test: a whole registry (SQLite, in-process batch worker every second) whose peak RSS
 * the parent asks for. argv: dataDir, trusted CA file, CRL file, max delivery bytes. Prints `URL <url>`; reads
 * commands on stdin: `rss` → prints `RSS <maxRSS in KB>`; `exit` → closes and exits.
 */
import path from 'node:path';
import { createInterface } from 'node:readline';
import { loadConfig } from '../../src/config/load-config.js';
import { startRegistry } from '../../src/server/start-registry.js';

// Not SCHEMA_DIR of registry-under-test.ts: this child's peak RSS is the measurement, so it imports no more than it uses.
const SCHEMA_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../shared/kmehr/schema');
const [dataDir, caFile, crlFile, maxBytes] = process.argv.slice(2);
if (!dataDir || !caFile || !crlFile || !maxBytes) throw new Error('usage: registry-child <dataDir> <caFile> <crlFile> <maxDeliveryBytes>');
const config = loadConfig({
  env: {},
  overrides: {
    dataDir,
    'pki.dir': path.join(dataDir, 'pki'),
    'database.url': `sqlite:${path.join(dataDir, 'vaccinnet.db')}`,
    'server.port': 0,
    'server.tls': false,
    'server.maxDeliveryBytes': Number(maxBytes),
    'kmehr.schemaDir': SCHEMA_DIR,
    'pki.trustedCaFiles': [caFile],
    'pki.crlFiles': [crlFile],
    'batch.intervalSeconds': 1,
    'batch.workerInProcess': process.env.VACCINNET_TEST_WORKER !== 'off',
    // 100 000 generated patients are not in the person register: check digits only.
    'registry.personCheck': 'checksum',
    'log.level': 'warn',
  },
});
const registry = await startRegistry({ config, demo: true });
process.stdout.write(`URL ${registry.url}\n`);
// Diagnostics while tuning: one memory line per second on stderr.
if (process.env.VACCINNET_TRACE_RSS) {
  setInterval(() => {
    const m = process.memoryUsage();
    process.stderr.write(`mem rss=${m.rss >> 20} heapUsed=${m.heapUsed >> 20} heapTotal=${m.heapTotal >> 20} external=${m.external >> 20}\n`);
  }, 1000).unref();
}
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'rss') process.stdout.write(`RSS ${process.resourceUsage().maxRSS}\n`);
  if (line === 'exit') break;
}
await registry.close();
process.exit(0);
