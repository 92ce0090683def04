/**
 * The two files the Action's tree gets of its own (vendorAction.ts): a README saying what the
 * folder is and how to update it, and a package.json that only names it and makes its bundles
 * CommonJS (a repository whose package.json says `"type": "module"` would otherwise load them as
 * ES modules): no dependencies, so a dependency graph has nothing to count.
 */

export interface PackageName {
  name: string;
  version: string;
  license?: string | undefined;
}

/** package.json of the Action's tree: name, version (what `--version` of its CLI prints), licence and module type. */
export function actionManifest(manifest: PackageName): string {
  const { name, version, license } = manifest;
  return `${JSON.stringify(
    {
      name,
      version,
      description: 'The Orchestrator GitHub Action, vendored: see README.md.',
      ...(license ? { license } : {}),
      private: true,
      type: 'commonjs',
    },
    null,
    2,
  )}\n`;
}

const megabytes = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`;

/** README.md of the Action's tree: what it is, what it holds (`files`, `bytes` in all), how to update and remove it. */
export function actionReadme(manifest: PackageName, files: string[], bytes: number): string {
  const bundles = files.filter((file) => /^dist\/[^/]+\.js$/.test(file)).map((file) => file.slice('dist/'.length));
  return `# The Orchestrator GitHub Action (vendored)

Written by \`orchestrator init --github-action\` (or \`orchestrator init --ci github\`) from
${manifest.name} ${manifest.version}. The workflows in \`.github/workflows/\` run it from here
(\`uses: ./.github/actions/orchestrator\`): these committed files, which your commit pins; nothing
is installed by name when a job starts. Generated: do not edit it, replace it.

- \`action.yml\`: the Action; its job is \`dist/action.js\`.
- \`dist/\`: the bundles the job loads and the CLI (\`dist/cli.js\`) the checks workflow runs,
  built and minified (${bundles.join(', ')}).
- \`.claude/\`: the workflows a run follows and the audit's dimensions.
- \`LICENSE\`; \`package.json\`, which only names this folder and makes its bundles CommonJS (no
  dependencies); \`.gitignore\`, which keeps every file in your commit.

${files.length + 3} files, ${megabytes(bytes)}.

## Update

Install the newer Orchestrator CLI, then at the top of the repository:

\`\`\`sh
orchestrator init --github-action --force   # replaces this folder and .github/workflows/orchestrator.yml
git add .github && git commit -m "The Orchestrator Action, updated"
\`\`\`

(\`orchestrator init --ci github --force\` replaces it with \`orchestrator-checks.yml\` instead.)
To remove it, delete this folder and the workflows that use it in a commit.

The Orchestrator's docs/github-action.md says what the Action does, its inputs and outputs.
`;
}
