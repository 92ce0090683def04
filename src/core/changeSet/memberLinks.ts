/**
 * A consumer's producers' changed heads linked into its checkout before its run (issue 73), by the
 * edge's `via` (combined/links.ts, the same steps `check workspace --combined` takes): the npm
 * package a link to the producer's work tree, the client regenerated from its changed schema, a
 * `replace`, your link step (a `pip` edge only in the combined check after the set: a run's commands
 * get no PYTHONPATH of ours). A step that is a command runs confined to the consumer's
 * checkout, reading the producer's. What an npm link replaced is kept aside and put back when the
 * set ends: the user's node_modules is left as it was.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { linkStep } from '../combined';
import type { MemberUse } from '../project/changeSet';
import type { OrchestratorConfig } from '../project/config';
import { commandSandbox, runCommand, trimErrorOutput } from '../process';

export interface MemberLink {
  producer: string;
  via: MemberUse['via'];
  /** The step taken, with the producer named instead of its path. */
  step: string;
}

export interface LinkedMember {
  links: MemberLink[];
  /** A link step that failed: its command and first error lines. */
  failed?: string;
  /** Every producer is linked in the run (a `pip` edge is not): its checks ran on the combined heads. */
  allInRun: boolean;
  /** Runs the steps that are commands again (the client generated from the producer's schema as it is now); the failing one's words. */
  refresh: (signal?: AbortSignal) => Promise<string | undefined>;
  /** Puts back what the links replaced in the checkout (npm's installed copy). */
  restore: () => void;
}

export async function linkProducers(
  consumer: { name: string; path: string; config: OrchestratorConfig },
  uses: readonly MemberUse[],
  producerPath: (name: string) => string,
  trusted: boolean,
  signal?: AbortSignal,
): Promise<LinkedMember> {
  const restores: (() => void)[] = [];
  const commands: { run: string; shown: string; producer: string }[] = [];
  const runSteps = async (abort?: AbortSignal): Promise<string | undefined> => {
    for (const step of commands) {
      // Restricted Mode runs nothing from the workspace: its link steps are the workspace file's commands.
      if (!trusted) return `${step.shown}: not run, the workspace is not trusted`;
      const sandbox = commandSandbox(consumer.config, {
        workspace: consumer.path,
        command: step.run,
        readOnly: [step.producer],
      });
      const result = await runCommand(step.run, {
        cwd: consumer.path,
        timeoutSec: consumer.config.limits.commandTimeoutSec,
        commandEnv: consumer.config.commandEnv,
        ...(sandbox ? { sandbox } : {}),
        ...(abort ? { signal: abort } : {}),
      });
      if (result.exitCode !== 0) return `${step.shown}: ${trimErrorOutput(result.output)}`;
    }
    return undefined;
  };
  const linked: LinkedMember = {
    links: [],
    allInRun: true,
    refresh: runSteps,
    restore: () => restores.reverse().forEach((r) => r()),
  };
  for (const use of uses) {
    const producer = producerPath(use.producer);
    if (use.via === 'npm') restores.push(keepAside(join(consumer.path, 'node_modules', use.package!)));
    const step = linkStep(use, consumer.path, producer);
    if ('linked' in step) linked.links.push({ producer: use.producer, via: use.via, step: step.linked });
    else if ('env' in step) {
      // A run's commands get only the environment its config names (commandEnv): not linked here; the combined check after the set links it.
      linked.allInRun = false;
      linked.links.push({
        producer: use.producer,
        via: use.via,
        step: 'not linked in the run (checked combined after)',
      });
    } else {
      const shown = step.run.replaceAll(producer, `<${use.producer}>`);
      linked.links.push({ producer: use.producer, via: use.via, step: shown });
      commands.push({ run: step.run, shown, producer });
    }
  }
  const failed = await runSteps(signal);
  if (failed) linked.failed = failed;
  return linked;
}

/** Moves what is at `path` into node_modules/.orchestrator-changeset/ (linkStep puts the link there); the returned step puts it back. */
function keepAside(path: string): () => void {
  const modules = path.slice(0, path.indexOf('node_modules') + 'node_modules'.length);
  const aside = join(modules, '.orchestrator-changeset', path.slice(modules.length + 1));
  const had = existsSync(path);
  if (had) {
    rmSync(aside, { recursive: true, force: true });
    mkdirSync(dirname(aside), { recursive: true });
    renameSync(path, aside);
  }
  return () => {
    rmSync(path, { recursive: true, force: true });
    if (had) renameSync(aside, path);
    rmSync(join(modules, '.orchestrator-changeset'), { recursive: true, force: true });
  };
}
