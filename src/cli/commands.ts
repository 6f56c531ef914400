import type { Command } from 'commander';

/** Sets the process exit code from a command's outcome without calling process.exit (tests call main() in-process). */
export type SetExitCode = (code: number) => void;

/** Every sub-command group registers itself here; this is the only file that knows them all. */
export function registerCommands(program: Command, setExitCode: SetExitCode): void {
  void program;
  void setExitCode;
}
