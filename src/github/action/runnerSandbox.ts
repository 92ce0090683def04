/**
 * The sandbox readied on an Actions runner before a job runs agents or commands (issue 48,
 * docs/github-action.md "The sandbox on runners"). `sandbox: required` holds on runners, but
 * Ubuntu 24.04 lets a program make unprivileged user namespaces only when an AppArmor profile
 * allows it, so bubblewrap fails there (`setting up uid map: Permission denied`, `Failed
 * RTM_NEWADDR`). Where the job may act as root (GitHub-hosted runners have sudo without a
 * password) it takes the narrowest way that works: a profile for bubblewrap alone, else the
 * sysctl for the job; it logs which. Otherwise it returns the one-line reason, and the job fails.
 * Whether the sandbox starts is the product's own probe (the engine's sandboxStatus), run first
 * and again after each change; the job's later launches then find the answer it found last.
 */
import { resolve } from 'node:path';
import { engine, loadConfig, sandboxTools } from '../../core/engineBundle';
import { inputVariable, workspaceOf } from './inputs';
import {
  liftSwitch,
  loadBwrapProfile,
  RESTRICT_SWITCH,
  restrictSwitch,
  RootCommands,
  runnerSystem,
  type RunnerSystem,
} from './runnerSandboxSystem';

/** What readying took: nothing (`off` in the config, or it already `starts`), a profile for bubblewrap, or the sysctl. */
export type RunnerSandboxStep = 'off' | 'starts' | 'apparmor-profile' | 'sysctl';

export type RunnerSandboxResult = { ok: true; took: RunnerSandboxStep } | { ok: false; reason: string };

export interface RunnerSandboxOptions {
  /** A line for the job's log. */
  log(line: string): void;
  /** The job's environment: GITHUB_WORKSPACE, the `config` input, RUNNER_TEMP, PATH. */
  env: NodeJS.ProcessEnv;
  /** The machine's switch, user and temporary folder (tests: their own). */
  system?: Partial<RunnerSystem>;
}

/** The `config` input's default (action.yml). */
const DEFAULT_CONFIG_INPUT = '.claude/orchestrator.yaml';

export async function readySandboxOnRunner(opts: RunnerSandboxOptions): Promise<RunnerSandboxResult> {
  const { log, env } = opts;
  let config: { file: string; mode: 'required' | 'off' };
  try {
    config = await sandboxMode(env);
  } catch (error) {
    // A ProjectFileError names the file, line and key.
    return { ok: false, reason: (error as Error).message.split('\n')[0] ?? 'the config cannot be read' };
  }
  if (config.mode === 'off') {
    log(`Sandbox: off in ${config.file}; agents and commands run unconfined on this runner`);
    return { ok: true, took: 'off' };
  }
  // Probed anew: whatever was found before this job readied the runner no longer holds.
  const first = await engine.sandboxStatus({ again: true });
  if (first.available) {
    log(`Sandbox: ${first.kind} starts on this runner; nothing to change`);
    return { ok: true, took: 'starts' };
  }
  const system = runnerSystem(env, opts.system);
  const { bwrap, socat } = sandboxTools();
  const reason = first.reason ?? 'the sandbox cannot start';
  // Only the AppArmor switch is this room's to change; a missing program or a kernel without user namespaces is the runner's image.
  if (!bwrap || !socat || restrictSwitch(system) !== '1') return { ok: false, reason };
  log(`Sandbox: AppArmor restricts unprivileged user namespaces on this runner (${RESTRICT_SWITCH}=1)`);
  const opened = await RootCommands.open(env, system);
  if ('why' in opened)
    return {
      ok: false,
      reason: `AppArmor restricts unprivileged user namespaces (${RESTRICT_SWITCH}=1) and ${opened.why}: load an AppArmor profile for bwrap that allows userns, or set sysctl ${RESTRICT_SWITCH}=0 on the runner`,
    };
  const tried: string[] = [];

  const profile = await loadBwrapProfile(opened.root, system, bwrap);
  if (profile.ok) {
    const after = await engine.sandboxStatus({ again: true });
    if (after.available) {
      log(
        `Sandbox: took an AppArmor profile for ${bwrap} alone (userns allowed; ${RESTRICT_SWITCH} stays 1 for every other program): ${profile.shown}`,
      );
      return { ok: true, took: 'apparmor-profile' };
    }
    tried.push(`a profile for bwrap was loaded but ${after.reason ?? 'the sandbox still cannot start'}`);
  } else {
    tried.push(`a profile for bwrap could not be loaded (${profile.why})`);
  }
  log(`Sandbox: ${tried[0]}; trying the sysctl`);

  const lifted = await liftSwitch(opened.root);
  if (lifted.ok) {
    const after = await engine.sandboxStatus({ again: true });
    if (after.available) {
      log(
        `Sandbox: took the sysctl for this job (${lifted.shown}; it holds until the machine restarts, and a GitHub-hosted runner ends with the job)`,
      );
      return { ok: true, took: 'sysctl' };
    }
    tried.push(`the sysctl was set but ${after.reason ?? 'the sandbox still cannot start'}`);
  } else {
    tried.push(`the sysctl could not be set (${lifted.why})`);
  }
  return {
    ok: false,
    reason: `AppArmor restricts unprivileged user namespaces (${RESTRICT_SWITCH}=1) and ${tried.join('; ')}`,
  };
}

/** The config's `sandbox` mode, loaded and checked as the job loads it (a missing file: the default, required). */
async function sandboxMode(env: NodeJS.ProcessEnv): Promise<{ file: string; mode: 'required' | 'off' }> {
  const file = env[inputVariable('config')]?.trim() || DEFAULT_CONFIG_INPUT;
  const workspace = workspaceOf(resolve(env.GITHUB_WORKSPACE ?? process.cwd()), file);
  return { file, mode: (await loadConfig(workspace)).sandbox.mode };
}
