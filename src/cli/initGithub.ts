/** `orchestrator init --github-action` and `init --ci github`: what they write and the lines that say so (docs/github-action.md). */
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import * as engine from '../core/engineBundle';
import type { CliArgs } from './args';
import { err, out, outJson } from './terminal';

/** Each entry on a line of its own: `  .prettierignore (new): .github/actions/orchestrator/  (Prettier)`. */
const entryLines = (proposal: engine.IgnoreProposal) =>
  proposal.edits.map((edit) => `  ${edit.file}${edit.create ? ' (new)' : ''}: ${edit.entry}  (${edit.tool})`);

/**
 * The user's consent to the ignore entries: `--yes` gives it; a terminal is asked (Enter agrees);
 * anything else (`--json`, no terminal) adds nothing, which the report then says with the way to add them.
 */
function consent(args: CliArgs): (proposal: engine.IgnoreProposal) => Promise<boolean> {
  return async (proposal) => {
    if (args.yes) return true;
    if (args.json || !process.stdin.isTTY || !process.stderr.isTTY) return false;
    const prompt = createInterface({ input: process.stdin, output: process.stderr });
    try {
      const answer = await prompt.question(
        `Keep the vendored Action out of formatters, linters and GitHub's language statistics? This adds:\n${entryLines(proposal).join('\n')}\n[Y/n] `,
      );
      return !/^\s*n/i.test(answer);
    } finally {
      prompt.close();
    }
  };
}

/** What init says of the ignore entries: added, or not and why and how to add them (`rerun`); what to add by hand. */
function ignoreLines(report: engine.GithubInitReport, args: CliArgs, rerun: string): string[] {
  const { edits, byHand, added } = report.ignores;
  const asked = !args.json && process.stdin.isTTY && process.stderr.isTTY;
  const lines =
    edits.length === 0
      ? []
      : added
        ? [
            `Added, to keep formatters, linters and GitHub's statistics out of ${report.action.path}/:`,
            ...entryLines(report.ignores),
          ]
        : [
            `Not added (${asked ? 'you said no' : 'nobody to ask without a terminal or with --json'}; ${rerun} adds them), to keep formatters, linters and GitHub's statistics out of ${report.action.path}/:`,
            ...entryLines(report.ignores),
          ];
  return [...lines, ...byHand.map((line) => `Add by hand: ${line}.`)];
}

/** `init --ci github` and `init --github-action`: the vendored Action and one workflow each (never over existing ones without --force), said file by file. */
export async function initGithub(args: CliArgs, workspace: string): Promise<undefined> {
  // The installed package's root: dist/artifacts.json lists the Action's files there.
  const packageRoot = join(__dirname, '..');
  const ignores = consent(args);
  const report = args.githubAction
    ? await engine.initGithubAction(workspace, packageRoot, { force: args.force, ignores })
    : await engine.initGithubChecks(workspace, packageRoot, {
        force: args.force,
        ignores,
        ...(args.dimension !== undefined ? { dimensions: args.dimension } : {}),
        ...(args.target !== undefined ? { targetScore: args.target } : {}),
        ...(args.maxBudget !== undefined ? { maxBudgetUsd: args.maxBudget } : {}),
      });
  const command = `orchestrator init ${args.githubAction ? '--github-action' : '--ci github'}`;
  const again = `\`${command} --force\``;
  const rerun = `\`${command} --yes\``;
  const { action, workflow } = report;
  if (args.json) {
    outJson({
      ...(args.githubAction ? { githubAction: true } : { ci: 'github' }),
      root: report.top,
      action,
      path: workflow.path,
      status: workflow.status,
      ignores: report.ignores,
    });
    if (report.ignores.edits.length > 0 && !report.ignores.added)
      err(`${ignoreLines(report, args, rerun).join('\n')}\n`);
    return undefined;
  }
  const lines = [
    action.status === 'kept'
      ? `${action.path}/ exists and was kept (${again} replaces it with this installation's files).`
      : `${action.status} ${action.path}/: the Action and the CLI its checks run, ${action.files} files, ${(action.bytes / 1_000_000).toFixed(1)} MB of this installation (commit them: your commit pins them; its README.md says how to update it).`,
    workflow.status === 'kept'
      ? `${workflow.path} exists and was kept; ${again} replaces it.`
      : args.githubAction
        ? `${workflow.status} ${workflow.path}: an issue labelled for the Orchestrator gets a spec to approve, then a pull request; jobs start only for the label and the Orchestrator's commands.`
        : `${workflow.status} ${workflow.path}: each pull request's tree is scored (${args.dimension ?? engine.CI_DEFAULTS.dimensions}) to ${args.target ?? engine.CI_DEFAULTS.targetScore}/100, specs checked for drift, the report and the workbook uploaded.`,
    ...ignoreLines(report, args, rerun),
    `Paths are relative to ${report.top}. Add the repository secret ANTHROPIC_API_KEY.`,
  ];
  out(`${lines.join('\n')}\n`);
  return undefined;
}
