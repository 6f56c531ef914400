import { describe, expect, it } from 'vitest';
import { formatTable } from './format-table.js';

describe('formatTable', () => {
  it('pads every column but the last to its widest cell, with a rule under the header', () => {
    expect(
      formatTable(
        ['NIHII', 'NAME'],
        [
          ['14700250004', 'An Peeters'],
          ['1', ''],
        ],
      ),
    ).toBe('NIHII        NAME\n-----------  ----------\n14700250004  An Peeters\n1\n');
  });
});
