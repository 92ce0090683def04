/**
 * What a host shows to choose each layer's runner (the VS Code sidebar): every layer with its
 * `layers.<name>.runner`, every role with its `runners.<role>`, and which CLI agents are there
 * and signed in; and the choice written back into `.claude/orchestrator.yaml`, the rest of the
 * file (comments, order, flow or block style) as it was.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMap, parseDocument, type YAMLMap } from 'yaml';
import { ConfigurationError } from '../errors';
import { loadConfig, loadConfigText } from '../project/config';
import { CONFIG_FILE } from '../project/sources';
import { detectCliAgents, type CliAgentStatus } from './detect/detectClis';
import { hasCliRunner } from './registry';
import { LAYER_RUNNERS, RUNNER_ROLES, type CliRunnerName, type LayerRunner, type RunnerName } from './names';

/**
 * A detected CLI agent, and whether this version has a runner for it (registry.ts): false while
 * its runner is still to come. Added here, not in detection: the runners use detection, and the
 * registry loads the runners.
 */
export type CliAgentChoice = CliAgentStatus & { available: boolean };

export interface RunnerChoices {
  layers: { name: string; runner: LayerRunner }[];
  roles: { name: string; runner: RunnerName }[];
  clis: CliAgentChoice[];
}

export async function runnerChoices(workspace: string, opts: { trusted: boolean }): Promise<RunnerChoices> {
  const config = await loadConfig(workspace);
  const commands = Object.fromEntries(
    Object.entries(config.agentCli).flatMap(([runner, cli]) => (cli?.command ? [[runner, cli.command]] : [])),
  ) as Partial<Record<CliRunnerName, string>>;
  return {
    layers: Object.entries(config.layers).map(([name, layer]) => ({ name, runner: layer.runner ?? 'agent' })),
    roles: RUNNER_ROLES.map((name) => ({ name, runner: config.runners[name] ?? 'agent' })),
    clis: (await detectCliAgents({ commands, cwd: workspace, runConfiguredCommands: opts.trusted })).map((cli) => ({
      ...cli,
      available: hasCliRunner(cli.runner),
    })),
  };
}

/**
 * Sets `layers.<layer>.runner` (or `runners.<role>`) in the workspace's config file; `agent`,
 * the default, removes the key. The file is checked as a run would load it before it is written.
 */
export async function setRunner(
  workspace: string,
  target: { layer: string } | { role: string },
  runner: LayerRunner,
): Promise<void> {
  if (!(LAYER_RUNNERS as readonly string[]).includes(runner))
    throw new ConfigurationError(`unknown runner "${runner}"`);
  if (runner === 'auto' && 'role' in target)
    throw new ConfigurationError("auto chooses a layer's runner; a role names its runner");
  const file = join(workspace, CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new ConfigurationError(`${CONFIG_FILE} does not exist: initialize the workspace first`);
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new ConfigurationError(`${CONFIG_FILE}: ${doc.errors[0]!.message}`);
  const path = 'layer' in target ? ['layers', target.layer] : ['runners'];
  const key = 'layer' in target ? 'runner' : target.role;
  if ('layer' in target && !isMap(doc.getIn(path)))
    throw new ConfigurationError(`${CONFIG_FILE}: there is no layer "${target.layer}"`);
  if ('role' in target && !(RUNNER_ROLES as readonly string[]).includes(target.role))
    throw new ConfigurationError(`"${target.role}" is not a role (${RUNNER_ROLES.join(', ')})`);
  if (runner === 'agent') {
    doc.deleteIn([...path, key]);
    const parent = doc.getIn(path);
    if ('role' in target && isMap(parent) && (parent as YAMLMap).items.length === 0) doc.deleteIn(path);
  } else doc.setIn([...path, key], runner);
  const next = doc.toString();
  // What is written must load (the role's runner, an external role…): checked like a run would.
  await loadConfigText(workspace, next);
  await writeFile(file, next);
}
