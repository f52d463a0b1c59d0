import oclif from 'eslint-config-oclif'
import prettier from 'eslint-config-prettier'

/** The features of src/core, one folder per command: they share the remote kit, never import each other. */
const FEATURES = ['data', 'local', 'mkdir', 'run', 'status', 'tasks']
const CORE_LAYER = {
  group: ['@oclif/*', 'chalk', '**/cli/**', '**/commands/**', '**/api/**'],
  message: 'src/core must not depend on the CLI layer or the library front door built on it.',
}

export default [
  {ignores: ['dist/**', 'node_modules/**', 'oclif.manifest.json']},
  ...oclif,
  prettier,
  {
    rules: {
      // Node's own test runner is used, not mocha.
      'mocha/no-top-level-hooks': 'off',
      'mocha/max-top-level-suites': 'off',
      'mocha/no-setup-in-describe': 'off',
      'mocha/no-exports': 'off',
      'n/no-unsupported-features/node-builtins': 'off',
      'n/no-process-exit': 'off',
      'unicorn/no-process-exit': 'off',
      'unicorn/prevent-abbreviations': 'off',
      'unicorn/no-null': 'off',
      'no-await-in-loop': 'off',
      'perfectionist/sort-objects': 'off',
      'perfectionist/sort-object-types': 'off',
      'perfectionist/sort-interfaces': 'off',
      'perfectionist/sort-classes': 'off',
      'perfectionist/sort-modules': 'off',
      'perfectionist/sort-union-types': 'off',
      'perfectionist/sort-switch-case': 'off',
      'jsdoc/require-jsdoc': 'off',
      'jsdoc/require-param': 'off',
      'jsdoc/require-returns': 'off',
      'jsdoc/tag-lines': 'off',
      '@typescript-eslint/no-explicit-any': 'error',
      // Prettier owns the layout; these two disagree with it.
      '@stylistic/lines-between-class-members': 'off',
      'unicorn/import-style': 'off',
      // resolve(undefined) is how a Promise<T | undefined> says "none".
      'unicorn/no-useless-undefined': 'off',
      // Misfires on closures that capture loop variables.
      'unicorn/consistent-function-scoping': 'off',
    },
  },
  {
    // The core knows nothing of the terminal or of oclif.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [CORE_LAYER],
        },
      ],
      'no-console': 'error',
    },
  },
  {
    // The library front door: typed options in, the core's reports out; no terminal.
    files: ['src/api/**/*.ts', 'src/index.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@oclif/*', 'chalk', '**/cli/**', '**/commands/**'],
              message: 'the library knows no terminal: the CLI is built on it, not the other way round.',
            },
          ],
        },
      ],
      'no-console': 'error',
    },
  },
  {
    // etcd lives behind the store interface: only src/core/store talks to it.
    files: ['src/**/*.ts'],
    ignores: ['src/core/store/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {patterns: [{group: ['etcd3', 'cockatiel'], message: 'only src/core/store imports the etcd client.'}]},
      ],
    },
  },
  {
    // Commands stay thin: SSH and sockets live in the core.
    files: ['src/commands/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['ssh2', 'ssh2-sftp-client', 'node:net', 'chalk'],
              message: 'commands call the core; chalk lives in src/cli/render.',
            },
          ],
        },
      ],
    },
  },
  // Each feature (with the core-layer rule, which a later block would otherwise replace).
  ...FEATURES.map((feature) => ({
    files: [`src/core/${feature}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            CORE_LAYER,
            {
              group: FEATURES.filter((other) => other !== feature).map((other) => `../${other}/*`),
              message: 'features share src/core/remote (the remote kit) and the layers below, never each other.',
            },
          ],
        },
      ],
    },
  })),
]
