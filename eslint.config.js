// ESLint (flat config): JavaScript's and typescript-eslint's recommended rules over all the code.
// Not type-aware: the type checker already runs in CI (`npm run typecheck`); see docs/testing.md.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // Generated, or not ours: the client's types come from docs/openapi.json (`npm run client`).
  { ignores: ['node_modules/', '.serverless/', '.esbuild/', '.data/', '.bench/', 'coverage/', 'clients/typescript/schema.d.ts'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // A leading underscore marks what is there on purpose: a handler's unused argument, a field
      // taken out of an object so that the rest can be passed on.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // No line over 140 characters, comments, strings and URLs included: prettier wraps code at 140
      // but leaves strings, regexps and comments to the writer.
      'max-len': [
        'error',
        {
          code: 140,
          ignoreUrls: false,
          ignoreComments: false,
          ignoreStrings: false,
          ignoreTemplateLiterals: false,
          ignoreRegExpLiterals: false,
        },
      ],
    },
  },
  {
    // The service's own code: config.ts is the one reader of the environment.
    files: ['lib/**', 'functions/**'],
    ignores: ['lib/config.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read settings through lib/config.ts.' }],
    },
  },
  {
    // Tests, benchmarks and scripts read JSON from handlers, child processes and pages whose shape the
    // assertion or the printout itself checks; typing each of those reads would add nothing.
    files: ['test/**', 'bench/**', 'scripts/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // CommonJS on purpose: the Serverless Framework loads these with require().
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
