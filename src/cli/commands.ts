import { Help, type Command } from 'commander';
import { COMMAND_SUMMARIES, type CommandName } from './command-summaries.js';

/** Sets the process exit code from a command's outcome without calling process.exit (tests call main() in-process). */
export type SetExitCode = (code: number) => void;

/** What each command module exports: adds its command (or group) with options and action to the program. */
export type RegisterCommand = (program: Command, setExitCode: SetExitCode) => void;

/**
 * The module of every top-level command, imported only when that command runs: loading them all (the registry, the
 * stores, the PKI, the client) took longer than the task of most commands. This is the only file that knows them all.
 */
const COMMAND_MODULES: Readonly<Record<CommandName, () => Promise<RegisterCommand>>> = {
  serve: async () => (await import('./serve-command.js')).registerServeCommand,
  worker: async () => (await import('./worker-command.js')).registerWorkerCommand,
  register: async () => (await import('./registratie-commands.js')).registerRegistratieCommands,
  get: async () => (await import('./registratie-commands.js')).registerRegistratieCommands,
  remove: async () => (await import('./registratie-commands.js')).registerRegistratieCommands,
  batch: async () => (await import('./batch-command.js')).registerBatchCommands,
  kmehr: async () => (await import('./kmehr-command.js')).registerKmehrCommands,
  pki: async () => (await import('./pki-command.js')).registerPkiCommands,
  admin: async () => (await import('./admin-command.js')).registerAdminCommands,
  history: async () => (await import('./history-command.js')).registerHistoryCommand,
};

const isCommandName = (name: string | undefined): name is CommandName => name !== undefined && Object.hasOwn(COMMAND_MODULES, name);

/** The command a command line runs: its first word, or the word after `help` (`vaccinnet help serve`). */
export function commandNameOf(argv: readonly string[]): CommandName | undefined {
  const name = argv[0] === 'help' ? argv[1] : argv[0];
  return isCommandName(name) ? name : undefined;
}

/** Defines one command fully (options, sub-commands, action), loading only its module. */
export async function registerCommand(program: Command, name: CommandName, setExitCode: SetExitCode): Promise<void> {
  const register = await COMMAND_MODULES[name]();
  register(program, setExitCode);
}

/**
 * Every command by name and summary only, for `vaccinnet --help` and for a command line that names no known command
 * (commander then prints the help or "unknown command"): no command's module is loaded.
 */
export function registerCommandIndex(program: Command): void {
  for (const [name, { summary }] of Object.entries(COMMAND_SUMMARIES)) program.command(name).description(summary);
  const standard = new Help();
  program.configureHelp({
    subcommandTerm: (cmd) => (isCommandName(cmd.name()) ? COMMAND_SUMMARIES[cmd.name() as CommandName].term : standard.subcommandTerm(cmd)),
  });
}

/** Every command fully defined, each module loaded once (for tests that compare the index with the definitions). */
export async function registerAllCommands(program: Command, setExitCode: SetExitCode): Promise<void> {
  const registers = new Set(await Promise.all(Object.values(COMMAND_MODULES).map((load) => load())));
  for (const register of registers) register(program, setExitCode);
}
