/**
 * A lazily loaded bundle missing beside the one that require()s it (`Cannot find module
 * './mermaid.js'`): the Action's tree vendored into a repository holds only what its job and the
 * checks workflow load (scripts/artifacts.mjs, ACTION_LEAVES_OUT). Said as what is missing and
 * where it is, instead of Node's require stack.
 */
export function leftOutBundle(error: unknown, needs = 'this'): string | undefined {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code !== 'MODULE_NOT_FOUND' || typeof message !== 'string') return undefined;
  const bundle = /^Cannot find module '\.\/([\w-]+\.js)'/.exec(message)?.[1];
  if (!bundle) return undefined;
  return `${needs} needs dist/${bundle}, which this installation of the Orchestrator does not hold: the Orchestrator vendored with the GitHub Action (.github/actions/orchestrator/) carries only what the Action's job and the checks workflow load (docs/github-action.md). Run it where the CLI or the VS Code extension is installed.`;
}
