/**
 * Child of dev-pki-race.int.test.ts: waits until the given moment (so that every child starts its PKI set-up in the
 * same millisecond), runs ensureDevPki on the shared folder and prints what it got as one JSON line.
 * Usage: node --import tsx ensure-dev-pki-child.ts <dataDir> <startAtEpochMs>
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../../config/load-config.js';
import { ensureDevPki } from '../dev-pki.js';

const [dataDir, startAt] = process.argv.slice(2) as [string, string];
const config = loadConfig({ env: {}, overrides: { dataDir } });
await sleep(Math.max(0, Number(startAt) - Date.now()));
const pki = await ensureDevPki(config);
const digest = (s: string): string => createHash('sha256').update(s).digest('hex');
process.stdout.write(
  `${JSON.stringify({ created: pki.created, ca: digest(pki.ca.certificatePem), key: digest(pki.tls.keyPem), cert: digest(pki.tls.certPem) })}\n`,
);
