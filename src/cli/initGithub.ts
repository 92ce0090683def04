/** `orchestrator init --github-action` and `init --ci github`: what they write and the lines that say so (docs/github-action.md). */
import { join } from 'node:path';
import * as engine from '../core/engineBundle';
import type { CliArgs } from './args';
import { out, outJson } from './terminal';

/** `init --ci github` and `init --github-action`: the vendored Action and one workflow each (never over existing ones without --force), said file by file. */
export async function initGithub(args: CliArgs, workspace: string): Promise<undefined> {
  // The installed package's root: dist/artifacts.json lists the Action's files there.
  const packageRoot = join(__dirname, '..');
  const report = args.githubAction
    ? await engine.initGithubAction(workspace, packageRoot, { force: args.force })
    : await engine.initGithubChecks(workspace, packageRoot, {
        force: args.force,
        ...(args.dimension !== undefined ? { dimensions: args.dimension } : {}),
        ...(args.target !== undefined ? { targetScore: args.target } : {}),
        ...(args.maxBudget !== undefined ? { maxBudgetUsd: args.maxBudget } : {}),
      });
  const again = `\`orchestrator init ${args.githubAction ? '--github-action' : '--ci github'} --force\``;
  const { action, workflow } = report;
  if (args.json) {
    outJson({
      ...(args.githubAction ? { githubAction: true } : { ci: 'github' }),
      root: report.top,
      action,
      path: workflow.path,
      status: workflow.status,
    });
    return undefined;
  }
  const lines = [
    action.status === 'kept'
      ? `${action.path}/ exists and was kept (${again} replaces it with this installation's files).`
      : `${action.status} ${action.path}/: the Action and the CLI, ${action.files} files of this installation (commit them: your commit pins them).`,
    workflow.status === 'kept'
      ? `${workflow.path} exists and was kept; ${again} replaces it.`
      : args.githubAction
        ? `${workflow.status} ${workflow.path}: an issue labelled for the Orchestrator gets a spec to approve, then a pull request; jobs start only for the label and the Orchestrator's commands.`
        : `${workflow.status} ${workflow.path}: each pull request's tree is scored (${args.dimension ?? engine.CI_DEFAULTS.dimensions}) to ${args.target ?? engine.CI_DEFAULTS.targetScore}/100, specs checked for drift, the report and the workbook uploaded.`,
    `Paths are relative to ${report.top}. Add the repository secret ANTHROPIC_API_KEY.`,
  ];
  out(`${lines.join('\n')}\n`);
  return undefined;
}
