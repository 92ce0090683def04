/**
 * VALIDATE: the orchestrator runs the layer's `validate` commands itself, in order, and
 * never takes an agent's word for a passing build. The first failing command's output,
 * trimmed to what helps, is what the retry sends back to the agent, after the failures of the
 * layer's due proof tests, each naming its criterion. A command that does not end
 * within its limit (the layer's `timeoutSec`, measured at `init`, else `limits.commandTimeoutSec`)
 * stops the run at once, naming it and its last output: a retry would wait on it the same way.
 */
import { redactSecrets } from '../../text/secrets';
import { trimErrorOutput } from '../../process';
import {
  ownFilesStop,
  type RunContext,
  runProjectCommand,
  tidyOwnFiles,
  untrustedStopped,
  validationTimedOut,
} from '../kernel';
import { layerFilesHash } from './validatedFiles';
import { baseCopy, proveLayer } from '../proof';
import { tickAcceptedWork } from './specTicks';
import type { GateFailure as ValidationFailure } from '../../api';

/** undefined when every command, the layer's due proof tests and then a change-set's consumers passed (validation.passed journaled). */
export async function validateLayer(ctx: RunContext, layer: string): Promise<ValidationFailure | undefined> {
  const commands = ctx.config.layers[layer]?.validate ?? [];
  if (commands.length > 0 && !ctx.host.isTrusted()) throw untrustedStopped(`validating ${layer}`);
  for (;;) {
    // A change-set consumer's agents worked from the contract beside its producers: checked once their work is in.
    const set = await ctx.opts.setMember?.checks?.(ctx.opts.signal);
    // Judged once the producers' work is accepted, and only if it is what the commands ran on: else run again on it.
    const settled = async () => (set ? set.settled(ctx.opts.signal) : true);
    // A change-set producer: its consumers on the combined heads, this work linked in as the agent left it
    // (changeSet/consumersGate.ts), checked beside its own commands; their verdict counts once those pass.
    const consumers = besideOwn(ctx);
    let own: Awaited<ReturnType<typeof validateOwn>>;
    try {
      own = await validateOwn(ctx, layer, commands, settled);
      // Passed on a producer's work that changed since: run again on the work it accepted.
      if (own !== 'again' && 'ran' in own && !(await settled())) own = 'again';
    } catch (error) {
      await consumers?.stop();
      throw error;
    }
    if (own === 'again') {
      await consumers?.stop();
      continue;
    }
    if ('failure' in own) {
      await consumers?.stop();
      return own.failure;
    }
    const held = await consumers?.verdict;
    if (held) {
      ctx.emit({ type: 'validation.failed', layer, ...held });
      return held;
    }
    // What checked the layer (issue 70): "validated" is said only when something ran.
    const proofTests = ctx.events
      .slice(own.since)
      .filter((e) => e.type === 'proof.green' && e.green === 'passed' && e.layer === layer).length;
    ctx.emit({
      type: 'validation.passed',
      layer,
      filesHash: await layerFilesHash(ctx, layer),
      commands: own.ran.length,
      proofTests,
    });
    set?.passed(own.ran);
    // Accepted: its lines of the spec are ticked now (issue 71), so a run stopped later shows what was done.
    await tickAcceptedWork(ctx);
    return undefined;
  }
}

/**
 * The layer's own commands, then its due proof tests: the first failure, or the commands that ran
 * (each its time) and where its events began; 'again' when, at a failure, `settled` says the
 * producers' work they ran on changed.
 */
async function validateOwn(
  ctx: RunContext,
  layer: string,
  commands: readonly string[],
  settled: () => Promise<boolean>,
): Promise<{ failure: ValidationFailure } | { ran: { command: string; ms: number }[]; since: number } | 'again'> {
  // A build may write files too: never before the checkpoint exists.
  if (commands.length > 0 && ctx.writesAllowed) await ctx.writesAllowed;
  // The commands may read our files (a spec, its trace): written as the project's Prettier writes them.
  if (commands.length > 0) await tidyOwnFiles(ctx);
  const since = ctx.events.length;
  const measured = ctx.config.layers[layer]?.timeoutSec;
  const timeoutSec = measured ?? ctx.config.limits.commandTimeoutSec;
  const ran: { command: string; ms: number }[] = [];
  for (const command of commands) {
    // Seen failing on the base earlier in this run: no check of any layer's work (issue 70).
    if (setAside(ctx, layer, command)) continue;
    ctx.emit({ type: 'validation.started', layer, command });
    const result = await runProjectCommand(ctx, command, { kind: 'validate', layer, timeoutSec });
    if (result.timedOut) {
      const output = trimErrorOutput(redactSecrets(result.output).text, 2000);
      ctx.emit({ type: 'validation.failed', layer, command, output, exitCode: null });
      throw validationTimedOut({ layer, command, timeoutSec, output, measured: measured !== undefined });
    }
    if (result.exitCode !== 0) {
      // Failing on a producer's work that changed since: it says nothing yet, of either.
      if (!(await settled())) return 'again';
      // Command output goes to the model in the retry: no credential-shaped value goes with it.
      const output = trimErrorOutput(redactSecrets(result.output).text);
      // Failing only on files no layer may write: no retry could change them.
      const ours = ownFilesStop(ctx, { layer, command, output: redactSecrets(result.output).text });
      if (ours) {
        ctx.emit({ type: 'validation.failed', layer, command, output, exitCode: result.exitCode });
        throw ours;
      }
      if (await failsOnBase(ctx, layer, command, timeoutSec, result.output)) continue;
      // The project's runner often collects the proof folder too (init proposes one it runs): the
      // due proof tests that fail lead the retry, naming their criterion, before the whole run's output.
      const proof = await proveLayer(ctx, layer);
      const failure = {
        command,
        output: proof ? `${proof.output}\n\n${command} failed too:\n${output}` : output,
        exitCode: result.exitCode,
      };
      ctx.emit({ type: 'validation.failed', layer, ...failure });
      return { failure };
    }
    ran.push({ command, ms: result.ms });
  }
  // GREEN: the frozen proof tests of the criteria this layer proves now (docs/proof.md).
  const proof = await proveLayer(ctx, layer);
  if (proof) {
    if (!(await settled())) return 'again';
    ctx.emit({ type: 'validation.failed', layer, ...proof });
    return { failure: proof };
  }
  return { ran, since };
}

/** The change-set consumers' check begun now: its verdict, or stopped (its commands cancelled) when the layer's own check failed. */
function besideOwn(
  ctx: RunContext,
): { verdict: Promise<ValidationFailure | undefined>; stop: () => Promise<void> } | undefined {
  const check = ctx.opts.setMember?.consumersCheck;
  if (!check) return undefined;
  const cancel = new AbortController();
  const signal = ctx.opts.signal ? AbortSignal.any([ctx.opts.signal, cancel.signal]) : cancel.signal;
  const verdict = check(signal);
  verdict.catch(() => undefined);
  return {
    verdict,
    stop: async () => {
      cancel.abort();
      await verdict.catch(() => undefined);
    },
  };
}

const setAside = (ctx: RunContext, layer: string, command: string): boolean =>
  ctx.events.some((e) => e.type === 'validation.setAside' && e.layer === layer && e.command === command);

/**
 * A command that failed after the layer's work, run once on the base (the work tree as the checkpoint
 * has it, none of the run's files): failing there too, the same way, it says nothing of this layer's
 * work (a gate `init` could not verify, a suite that needs the network, our own files): it is set
 * aside for the run, said with its output, and the layer is judged by what else checks it (issue 70).
 * Failing there otherwise (a file the change adds missing) it is the layer's failure, as before.
 */
async function failsOnBase(
  ctx: RunContext,
  layer: string,
  command: string,
  timeoutSec: number,
  after: string,
): Promise<boolean> {
  const base = await baseCopy(ctx).catch(() => undefined);
  if (!base) return false;
  try {
    const result = await runProjectCommand(ctx, command, { kind: 'validate', layer, timeoutSec, place: base });
    // The sandbox that could not start there, or refused it a file there, says nothing of the command: never a
    // reason to set it aside (the layer's failure stays the layer's, as before). The network it lacks is one.
    const refusedFiles = result.denials?.some((denial) => denial.kind !== 'net');
    if (result.exitCode === 0 || result.timedOut || refusedFiles || /^bwrap: /m.test(result.output)) return false;
    if (!sameFailure(result.output.replaceAll(base.cwd, ctx.workspace), after)) return false;
    const output = trimErrorOutput(redactSecrets(result.output).text, 2000);
    ctx.emit({ type: 'validation.setAside', layer, command, output, exitCode: result.exitCode });
    return true;
  } finally {
    await base.dispose();
  }
}

/** The base's first error line (its durations left out) is in what the command printed after the change. */
function sameFailure(base: string, after: string): boolean {
  const lines = base
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^[>$]\s/.test(l));
  const first = lines.find((l) => /error|fail|cannot|not found|exception|denied/i.test(l)) ?? lines[0];
  if (first === undefined) return true;
  const plain = (text: string) => text.replace(/\(?\d+(\.\d+)?\s?m?s\)?/g, '').replace(/\s+/g, ' ');
  return plain(after).includes(plain(first));
}
