import type { Command } from 'commander';
import { COMMAND_SUMMARIES } from './command-summaries.js';
import type { SetExitCode } from './commands.js';
import { configFromFlags, untilStopSignal } from './config-flags.js';

interface WorkerOptions {
  readonly config?: string;
  readonly dataDir?: string;
  readonly database?: string;
  readonly once?: boolean;
  readonly leaseSeconds?: string;
}

/**
 * `vaccinnet worker`: processes accepted BatchUpload deliveries outside the server, every `batch.intervalSeconds`
 * (several may run against PostgreSQL; each delivery is claimed by one). `--once` processes what is due and exits.
 */
export function registerWorkerCommand(program: Command, setExitCode: SetExitCode): void {
  program
    .command('worker')
    .description(COMMAND_SUMMARIES.worker.summary)
    .option('--config <file>', 'JSON configuration file (see docs/configuration.md)')
    .option('--data-dir <dir>', 'data folder (default ./.vaccinnet)')
    .option('--database <url>', 'sqlite:<file> or postgres://… (default sqlite:<data-dir>/vaccinnet.db)')
    .option('--once', 'process every due delivery, then exit')
    .option('--lease-seconds <n>', 'take over a delivery whose worker has been silent this long (default batch.leaseSeconds, 10)')
    .action(async (o: WorkerOptions) => {
      const config = configFromFlags(o);
      // Loaded here, not at the top: `vaccinnet worker --help` should not load the batch worker and the stores.
      const [{ startBatchWorker }, { createLogger }] = await Promise.all([import('../batch/start-batch-worker.js'), import('../server/logger.js')]);
      const log = createLogger({ level: config.log.level });
      const running = await startBatchWorker(config, log, { ...(o.leaseSeconds !== undefined && { leaseSeconds: Number(o.leaseSeconds) }) });
      if (o.once) {
        const processed = await running.worker.runOnce();
        process.stdout.write(`${processed} deliveries processed\n`);
        await running.close();
        setExitCode(0);
        return;
      }
      running.worker.start();
      process.stdout.write(`Vaccinnet batch worker ${running.worker.workerId} running every ${config.batch.intervalSeconds} s\n`);
      await untilStopSignal();
      await running.close();
      setExitCode(0);
    });
}
