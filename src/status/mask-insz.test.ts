import { describe, expect, it } from 'vitest';
import { maskInsz } from './mask-insz.js';

describe('maskInsz', () => {
  it('keeps the birth-date part only', () => {
    expect(maskInsz('85071412330')).toBe('850714*****');
  });
  it('masks anything that is not 11 digits entirely', () => {
    expect(maskInsz('8507141233')).toBe('**********');
    expect(maskInsz('85.07.14-123.30')).toBe('***********');
    expect(maskInsz('')).toBe('');
  });
});
