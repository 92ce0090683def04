import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Each model SDK and the folder of src/core/llm allowed to import it. */
const PROVIDER_SDKS = [
  { sdk: '@anthropic-ai/sdk', folder: 'src/core/llm/anthropic/**' },
  { sdk: 'openai', folder: 'src/core/llm/openai/**' },
];

/** zod's classic API puts all of zod in a bundle (every schema carries every method); zod/mini is tree-shaken. */
const ZOD_CLASSIC = ['zod', 'zod/v4', 'zod/v4/classic'].map((name) => ({
  name,
  message: "Use zod/mini (import * as z from 'zod/mini'): zod's classic API cannot be tree-shaken.",
}));

/** The hosts src/core must not import; the runners room has a cli/ of its own (the CLI-agent machinery), so there only src/cli itself is meant. */
const HOSTS = ['**/extension/**', '**/cli/**', '!**/runners/cli/**', '**/webview/**'];
const HOSTS_FROM_RUNNERS = [
  '**/extension/**',
  '**/webview/**',
  '../../cli/**',
  '../../../cli/**',
  '../../../../cli/**',
];

/**
 * git runs only in the git room (src/core/git, through gitRunner: no hook, no filter, no ambient
 * GIT_* variable): a file elsewhere in src/ that spawns it is an error. gitRunner itself is not
 * behind the room's door, so its `gitAt` cannot be reached from outside either (.dependency-cruiser.cjs).
 */
const NO_GIT_SPAWN = {
  selector: [
    'CallExpression[callee.name=/^(spawn|spawnSync|execFile|execFileSync|exec|execSync|fork|spawnThroughHelper|runCommand)$/][arguments.0.value=/^git(\\.exe)?(\\s|$)/]',
    'CallExpression[callee.property.name=/^(spawn|spawnSync|execFile|execFileSync|exec|execSync|fork)$/][arguments.0.value=/^git(\\.exe)?(\\s|$)/]',
    "CallExpression[callee.name=/^(exec|execSync|runCommand)$/][arguments.0.type='TemplateLiteral'][arguments.0.quasis.0.value.raw=/^git(\\s|$)/]",
  ].join(', '),
  message:
    'git runs only in the git room: call a function of src/core/git (its index.ts), which runs git with our safety settings.',
};

function coreImportRules() {
  const rule = (allowed, hosts = HOSTS) => ({
    'no-restricted-imports': [
      'error',
      {
        paths: [
          { name: 'vscode', message: 'src/core must not depend on VS Code; go through the Host interface.' },
          ...ZOD_CLASSIC,
          ...PROVIDER_SDKS.filter((p) => p !== allowed).map((p) => ({
            name: p.sdk,
            message: `Only ${p.folder} may use ${p.sdk}; the core speaks src/core/llm/types.ts.`,
          })),
        ],
        patterns: [
          { group: hosts, message: 'src/core must not import its hosts.' },
          ...PROVIDER_SDKS.filter((p) => p !== allowed).map((p) => ({
            group: [`${p.sdk}/*`],
            message: `Only ${p.folder} may use ${p.sdk}; the core speaks src/core/llm/types.ts.`,
          })),
        ],
      },
    ],
  });
  return [
    { files: ['src/core/**'], ignores: PROVIDER_SDKS.map((p) => p.folder), rules: rule(undefined) },
    { files: ['src/core/runners/**'], rules: rule(undefined, HOSTS_FROM_RUNNERS) },
    ...PROVIDER_SDKS.map((p) => ({ files: [p.folder], rules: rule(p) })),
  ];
}

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.cache/**', 'test-output/**', 'examples/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Every bundled schema uses zod/mini (src/core repeats this in its own rule below).
  { files: ['src/**/*.ts', 'webview/**/*.ts'], rules: { 'no-restricted-imports': ['error', { paths: ZOD_CLASSIC }] } },
  // The engine is editor-independent (the VS Code host plugs in through src/core/host.ts) and
  // provider-neutral: a model SDK is imported only inside its provider's folder.
  ...coreImportRules(),
  { files: ['src/**/*.ts'], ignores: ['src/core/git/**'], rules: { 'no-restricted-syntax': ['error', NO_GIT_SPAWN] } },
  // The CLI prints only through src/cli/terminal.ts, which shows control characters instead of obeying them.
  {
    files: ['src/cli/**/*.ts', 'src/mcp/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "MemberExpression[object.object.name='process'][object.property.name=/^(stdout|stderr)$/][property.name='write']",
          message: 'Print through src/cli/terminal.ts (out/err): untrusted text must not reach the terminal raw.',
        },
        NO_GIT_SPAWN,
      ],
      'no-console': 'error',
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', module: 'writable' } },
  },
  // A file does one job: under 400 lines as Prettier prints it (npm run format before the lint).
  { files: ['**/*.ts', '**/*.mjs', '**/*.cjs', '**/*.js'], rules: { 'max-lines': ['error', { max: 400 }] } },
  // CommonJS files (the lint rule's config and its floors) load one another with require.
  {
    files: ['**/*.cjs'],
    languageOptions: { globals: { require: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
