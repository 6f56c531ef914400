/**
 * Child process of the crash tests: one batch worker on the store at argv[2] that works until no delivery is left
 * unprocessed, then exits. Prints `SLICE <committed>` after each committed slice and `DONE <delivery> <outcome>`
 * per delivery (the worker's JSON log goes to stderr). argv[3] = lease seconds, argv[4] = transactions per slice.
 */
import pino from 'pino';
import { loadConfig } from '../../config/load-config.js';
import { DeliveryRepository } from '../../store/delivery-repository.js';
import { startBatchWorker } from '../start-batch-worker.js';

const [url, lease = '1', slice = '250'] = process.argv.slice(2);
if (!url) throw new Error('usage: worker-child <store-url> [leaseSeconds] [sliceSize]');
const config = loadConfig({ env: {}, overrides: { 'database.url': url, 'registry.personCheck': 'checksum', dataDir: '/tmp' } });
const log = pino(
  { level: 'info' },
  {
    write(line: string): void {
      const entry = JSON.parse(line) as { msg?: string; delivery?: string; outcome?: string };
      if (entry.msg === 'batch delivery processed') process.stdout.write(`DONE ${entry.delivery} ${entry.outcome}\n`);
      process.stderr.write(line);
    },
  },
);
const running = await startBatchWorker(config, log, {
  leaseSeconds: Number(lease),
  sliceSize: Number(slice),
  afterSlice: (committed) => {
    process.stdout.write(`SLICE ${committed}\n`);
  },
});
const repo = DeliveryRepository.of(running.store);
// A delivery another (killed) worker held is claimable only once its lease ran out: keep trying until none is left.
for (;;) {
  await running.worker.runOnce();
  const open = await repo.db.selectFrom('deliveries').select('id').where('status', 'in', ['accepted', 'processing']).execute();
  if (open.length === 0) break;
  await new Promise((resolve) => setTimeout(resolve, 200));
}
await running.close();
process.exit(0);
