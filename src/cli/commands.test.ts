import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { commandNameOf, registerAllCommands, registerCommandIndex } from './commands.js';

const program = (): Command => new Command('vaccinnet').description('Vaccinnet registry: server, operator tools and integrator kit');

describe('the command index (vaccinnet --help without loading any command)', () => {
  it('prints the same help as the full definitions of every command', async () => {
    const full = program();
    await registerAllCommands(full, () => {});
    const index = program();
    registerCommandIndex(index);
    expect(index.helpInformation()).toBe(full.helpInformation());
  });

  it('names the command a command line runs, also after `help`', () => {
    expect(commandNameOf(['register', '--patient', '1'])).toBe('register');
    expect(commandNameOf(['help', 'serve'])).toBe('serve');
    expect(commandNameOf(['--help'])).toBeUndefined();
    expect(commandNameOf(['frobnicate'])).toBeUndefined();
    expect(commandNameOf(['constructor'])).toBeUndefined();
  });
});
