/**
 * Whom `runner: auto` chooses among for a layer (issue 47): the `attemptRunners` entries, or by
 * default our `agent` and every CLI agent this version runs that is installed, recent enough and
 * signed in. A configured CLI candidate that is not is skipped, with why (the run says it); a
 * default one simply is not a candidate. Each candidate's model is made explicit where the config
 * knows it (ours: the layer's model; a CLI agent: `models.agents.<layer>`), so the record tells
 * runs on two models apart.
 */
import { modelFor, type OrchestratorConfig } from '../../project/config';
import { detectCliAgent } from '../detect/detectClis';
import {
  CLI_RUNNERS,
  isCliRunner,
  parseRunnerPick,
  type CliRunnerName,
  type RunnerPick,
  runnerPickText,
} from '../names';
import { hasCliRunner } from '../registry';

export interface AutoCandidates {
  candidates: RunnerPick[];
  /** Configured candidates that cannot run here: a line each, naming it. */
  skipped: string[];
}

export async function autoCandidates(
  config: OrchestratorConfig,
  layer: string,
  where: { cwd: string; trusted: boolean },
): Promise<AutoCandidates> {
  const configured = config.attemptRunners.length > 0;
  const entries = configured
    ? config.attemptRunners.map(parseRunnerPick)
    : [{ runner: 'agent' as const }, ...CLI_RUNNERS.filter(hasCliRunner).map((runner) => ({ runner }))];
  const commands = Object.fromEntries(
    Object.entries(config.agentCli).flatMap(([runner, cli]) => (cli?.command ? [[runner, cli.command]] : [])),
  ) as Partial<Record<CliRunnerName, string>>;
  const checked = await Promise.all(
    entries.map(async (pick) => ({
      pick,
      unusable: isCliRunner(pick.runner) ? await unusable(pick.runner, commands, where) : undefined,
    })),
  );
  const explicit = (pick: RunnerPick): RunnerPick => {
    const model = pick.model ?? (pick.runner === 'agent' ? modelFor(config, layer) : config.models.agents[layer]);
    return model === undefined ? { runner: pick.runner } : { runner: pick.runner, model };
  };
  return {
    candidates: checked.filter((c) => c.unusable === undefined).map((c) => explicit(c.pick)),
    skipped: configured ? checked.flatMap((c) => (c.unusable ? [`${runnerPickText(c.pick)}: ${c.unusable}`] : [])) : [],
  };
}

/** Why a CLI agent cannot run here, or undefined when it can. */
async function unusable(
  runner: CliRunnerName,
  commands: Partial<Record<CliRunnerName, string>>,
  where: { cwd: string; trusted: boolean },
): Promise<string | undefined> {
  if (!hasCliRunner(runner)) return 'this version has no runner for it';
  const status = await detectCliAgent(runner, { commands, cwd: where.cwd, runConfiguredCommands: where.trusted });
  if (!status.installed) return `not installed (${status.hint ?? status.command})`;
  if (status.tooOld) return `too old (${status.hint ?? status.version})`;
  if (status.signedIn === false) return `not signed in (${status.hint ?? 'sign in first'})`;
  return undefined;
}
