// `npm run lint`. Syntax-level rules only (no type information): tsc checks the types, and a lint that
// builds three programs again would double the time of `npm test`.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_CODE = ['server/**', 'scripts/**', 'tiles/**', 'bench/**', 'test/**', '*.config.{js,ts}'];

export default tseslint.config(
  { ignores: ['dist/', 'dist-server/', '.data/', 'bench/results/', 'test-results/', '.scratch/', '.proto/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  { files: NODE_CODE, languageOptions: { globals: globals.node } },
  {
    rules: {
      // A leading underscore marks what is unused on purpose (a property left out of a rest, a callback's slot).
      '@typescript-eslint/no-unused-vars': ['error', {
        argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true,
      }],
      // Text cleaning and file checks name control characters to strip or refuse them: that is their job.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['src/**'],
    ...reactHooks.configs.flat.recommended,
    languageOptions: { globals: globals.browser },
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      // Effects here run on a value key on purpose (ids, coordinates, a JSON key, once on mount); the rule asks
      // for every object read, whose identity changes on each render, and would re-run them all the time.
      'react-hooks/exhaustive-deps': 'off',
      // The next three check code for the React Compiler, which the app does not use: a fetch that sets
      // "loading" in its effect, the latest-props ref written during render and the playlist's clock are
      // plain React.
      'react-hooks/set-state-in-effect': 'off',
      'react-hooks/refs': 'off',
      'react-hooks/purity': 'off',
    },
  },
  {
    // Tests read JSON answers loosely and assert on their shape.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The browser has no Node: what runs in both goes to common/.
    files: ['src/**', 'common/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'pg', message: 'The browser reaches the database through the API only.' }],
        patterns: [{ group: ['node:*'], message: 'Node modules do not exist in the browser.' }],
      }],
      'no-restricted-globals': ['error', ...['process', 'Buffer', '__dirname', '__filename', 'require', 'global'].map((name) => ({
        name, message: 'A Node global: the browser has none.',
      }))],
    },
  },
  {
    // Routes parse, authorise and answer; the SQL lives with the module that owns the data (server/cases, …).
    // A route may name the pool's type to hand it on, never query through it.
    files: ['server/routes/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [{ name: 'pg', allowTypeImports: true, message: 'Routes do not query: call the module that owns the data.' }],
        patterns: [{ group: ['**/db/pool.ts', '**/db/tx.ts'], allowTypeImports: true, message: 'Routes do not query: call the module that owns the data.' }],
      }],
      'no-restricted-syntax': ['error', {
        selector: "CallExpression[callee.property.name='query'][arguments.0.type=/^(Literal|TemplateLiteral)$/]",
        message: 'Routes do not query: call the module that owns the data.',
      }],
    },
  },
);
