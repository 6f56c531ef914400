// @ts-check
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/**
 * One lint pass for the tree: ESLint's and typescript-eslint's recommended rules (not the type-checked set: `tsc
 * --noEmit` already runs in `npm test`, and type-aware linting would parse the program a second time), Prettier
 * owning layout (eslint-config-prettier turns the layout rules off), and the project's own conventions below.
 */
export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', 'coverage/', 'test-output/', 'data/', '.vaccinnet/', 'docs/bench-runs/', 'bench/results/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' },
    },
    rules: {
      // One private-field convention (style.md "Hold state privately"): ECMAScript `#field`, private at run time too,
      // never TypeScript's `private`, which is erased and readable from outside by any cast.
      'no-restricted-syntax': [
        'error',
        {
          selector: ':matches(PropertyDefinition, MethodDefinition, TSParameterProperty, TSAbstractPropertyDefinition)[accessibility="private"]',
          message: 'Use an ECMAScript #private member, not TypeScript `private` (one convention: docs/decisions.md, issue 12).',
        },
      ],
      // `_`-prefixed names are deliberately unused (callback positions, destructuring that drops a field).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  {
    // Plain JavaScript (bin, configs) runs under Node as it is.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    // CommonJS configs (.dependency-cruiser.cjs) export through `module.exports`.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  prettier,
);
