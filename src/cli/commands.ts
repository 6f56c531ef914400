import type { Command } from 'commander';
import { registerAdminCommands } from './admin-command.js';
import { registerHistoryCommand } from './history-command.js';
import { registerBatchCommands } from './batch-command.js';
import { registerKmehrCommands } from './kmehr-command.js';
import { registerPkiCommands } from './pki-command.js';
import { registerRegistratieCommands } from './registratie-commands.js';
import { registerServeCommand } from './serve-command.js';
import { registerWorkerCommand } from './worker-command.js';

/** Sets the process exit code from a command's outcome without calling process.exit (tests call main() in-process). */
export type SetExitCode = (code: number) => void;

/** Every sub-command group registers itself here; this is the only file that knows them all. */
export function registerCommands(program: Command, setExitCode: SetExitCode): void {
  registerServeCommand(program, setExitCode);
  registerWorkerCommand(program, setExitCode);
  registerRegistratieCommands(program, setExitCode);
  registerBatchCommands(program, setExitCode);
  registerKmehrCommands(program, setExitCode);
  registerPkiCommands(program, setExitCode);
  registerAdminCommands(program, setExitCode);
  registerHistoryCommand(program, setExitCode);
}
