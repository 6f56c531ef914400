import { Command, CommanderError } from 'commander';
import { ConfigurationError } from '../config/configuration-error.js';
import { commandNameOf, registerCommand, registerCommandIndex } from './commands.js';

/**
 * The `vaccinnet` command. Exit codes: 0 success / valid, 1 refused (a finding with severity error),
 * 2 usage error, 3 internal error.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('vaccinnet')
    .description('Vaccinnet registry: server, operator tools and integrator kit')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  let exitCode = 0;
  const setExitCode = (code: number): void => {
    exitCode = code;
  };
  try {
    // Only the code of the command that runs is loaded: `--help` needs none, `register` only the client.
    const name = commandNameOf(argv);
    if (name === undefined) registerCommandIndex(program);
    else await registerCommand(program, name, setExitCode);
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      return 2;
    }
    // A configuration the registry cannot start with is the operator's to fix: one sentence naming the option, no stack.
    if (error instanceof ConfigurationError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    process.stderr.write(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 3;
  }
  return exitCode;
}
