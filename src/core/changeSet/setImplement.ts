/**
 * A change-set's parts implemented (issue 73, docs/changesets.md): every member at once, each an
 * ordinary run of the engine from its part's contract; a consumer's checks wait for its producers'
 * accepted work (memberMoments.ts), their heads linked in again then (memberLinks.ts); a producer's
 * layers are held to its consumers (consumersGate.ts). Once its producers' runs are finished, each
 * member is checked on the combined heads (combined/), and once their parts are done, its own is
 * committed on the set's branch (memberCommit.ts).
 */
import { performance } from 'node:perf_hooks';
import type { RunOptions, SetMemberWiring } from '../api';
import { checkCombinedHeads, type CombinedReport, memberCommands } from '../combined';
import { RunCancelled, RunStop } from '../errors';
import { switchToBranch } from '../git';
import { findLatestResumableRun } from '../journal';
import { resumeRun, startFromSpec } from '../pipeline/run';
import { producersOf } from '../project/changeSet';
import { loadSpec } from '../project/specs';
import { consumersGate } from './consumersGate';
import { commitMemberPart } from './memberCommit';
import { memberEvidence } from './memberEvidence';
import { linkProducers, type LinkedMember } from './memberLinks';
import { memberMoments, type Moment, reached } from './memberMoments';
import {
  type ChangeSetMember,
  type ChangeSetSummary,
  memberOptions,
  say,
  type SetPlace,
  settledAll,
  type Stop,
  stopped,
  summaryOf,
  tally,
} from './setOutcome';
import type { SetRecord } from './setSpec';

/**
 * Every member at once, each from its part's contract: a consumer's agents work beside its
 * producers', its checks wait for their work to be accepted (their heads linked in again then), its
 * check on the combined heads for their runs to be finished, its commit for their parts to be
 * committed. A member that stops stops its consumers at their checks; the others finish (their
 * work kept); a member not started by then is not.
 */
export async function implement(
  place: SetPlace,
  record: SetRecord,
  members: ChangeSetMember[],
  specPath: string,
  opts: RunOptions,
  partWritten: (i: number) => Promise<boolean>,
  stops: Stop[] = [],
): Promise<ChangeSetSummary> {
  const linked: LinkedMember[] = [];
  // Each member's checks on the combined heads (its own entries), once its run got there.
  const checkedOf: (CombinedReport | undefined)[] = [];
  const moments = place.members.map(() => memberMoments());
  const names = place.members.map((m) => m.name);
  const pathOf = (name: string) => place.members[names.indexOf(name)]!.path;
  // Why waiting for these moments ended without them (a producer stopped), else undefined.
  const heldBy = (waited: Moment[]) =>
    reached(waited, opts.signal).then(
      () => undefined,
      (error: Error) => error.message,
    );
  const implementOne = async (i: number): Promise<Stop | undefined> => {
    const member = place.members[i]!;
    const outcome = members[i]!;
    const producers = producersOf(member.name, place.workspace.uses).map((name) => names.indexOf(name));
    if (!(await partWritten(i)) || stops.length > 0) return undefined;
    if (!outcome.specId) return { at: i, reason: 'no part of the spec was saved for it' };
    say(opts, `change-set ${record.setId}: ${member.name} (${i + 1}/${members.length})`);
    if (opts.host.isTrusted()) await switchToBranch(member.path, record.branch);
    const uses = place.workspace.uses.filter((u) => u.consumer === member.name);
    const links = await linkProducers(member, uses, pathOf, opts.host.isTrusted(), opts.signal);
    linked.push(links);
    outcome.linked = links.links;
    if (links.failed) return { at: i, reason: `linking its producers failed: ${links.failed}` };
    const evidence = memberEvidence(
      member,
      uses.map((use) => ({ name: use.producer, path: pathOf(use.producer) })),
      links.allInRun,
    );
    // A part implemented already (`approve <setId>` again after the set stopped) is checked, not run again.
    if ((await loadSpec(member.path, outcome.specId)).location === 'completed') {
      outcome.status = 'completed';
      say(opts, `change-set ${record.setId}: ${member.name}'s part is implemented already (${outcome.specId})`);
    } else {
      // Its layers' work held to its consumers too: a change breaking one is retried as a failed gate.
      const gate = consumersGate(place.root, member.name, place.workspace, opts.host.isTrusted(), (message) =>
        opts.host.onEvent({ type: 'log', level: 'warn', message }),
      );
      // Waits for its producers' work to reach a moment (saying whose), counting the time; a producer that stopped is a RunStop.
      const producersAt = async (moment: 'workIn' | 'accepted', signal?: AbortSignal) => {
        const waiting = producers.filter((j) => !moments[j]![moment].settled).map((j) => names[j]!);
        if (waiting.length === 0) return;
        const what = moment === 'workIn' ? 'work' : 'accepted work';
        say(opts, `change-set ${record.setId}: ${member.name}'s checks wait for ${waiting.join(', ')}'s ${what}`);
        const since = performance.now();
        try {
          await reached(
            producers.map((j) => moments[j]![moment]),
            signal,
          );
        } catch (error) {
          if (error instanceof RunCancelled) throw error;
          throw producerStopped(member.name, (error as Error).message);
        } finally {
          outcome.waitedSec += (performance.now() - since) / 1000;
        }
      };
      // Its last agents done: its work is in once its producers' heads are linked in again after them.
      let agentsDone = false;
      const setMember: SetMemberWiring = {
        checks: async (signal) => {
          // Begun on its producers' work once it is in, not yet accepted: held to that work once it is. A producer
          // not linked in the run (pip) is not seen by them: its accepted work is waited for, as it is checked after.
          const ahead = links.allInRun && producers.some((j) => !moments[j]!.accepted.settled);
          await producersAt(ahead ? 'workIn' : 'accepted', signal);
          // Their heads as their work left them: a client generated again from the changed schema.
          const failed = await links.refresh(signal);
          if (failed) throw linkFailed(member.name, failed);
          if (agentsDone) moments[i]!.workIn.resolve();
          const check = await evidence.checking();
          return {
            passed: check.passed,
            settled: async (later) => {
              if (!ahead) return true;
              await producersAt('accepted', later);
              if (await check.producersUnchanged()) return true;
              say(
                opts,
                `change-set ${record.setId}: ${member.name}'s checks run again: ${producers.map((j) => names[j]).join(', ')}'s accepted work is not what they ran on`,
              );
              return false;
            },
          };
        },
        ...(gate ? { consumersCheck: (signal) => gate.check(signal) } : {}),
        workIn: () => {
          agentsDone = true;
          if (producers.length === 0) moments[i]!.workIn.resolve();
        },
        accepted: () => {
          moments[i]!.workIn.resolve();
          moments[i]!.accepted.resolve();
        },
      };
      const options = memberOptions(opts, member.path, place.budget, {
        autoApprove: true,
        readable: producers.map((j) => place.members[j]!.path),
        setMember,
      });
      // Its part's run stopped before (`approve <setId>` again): resumed, its work so far kept, not started over it.
      const unfinished = findLatestResumableRun(member.path, (message) => say(opts, message));
      const summary =
        unfinished?.specId === outcome.specId
          ? await resumeRun(unfinished.runId, options)
          : await startFromSpec(outcome.specId, options);
      tally(outcome, summary);
      // Retries spent on a consumer's failure (the stop names the gate's command): the set names the consumer's tests.
      const why =
        gate?.last && summary.error?.includes(`a consumer of ${member.name}`)
          ? `its change breaks ${gate.last}`
          : (summary.error ?? `its run ended ${summary.status}`);
      if (summary.status !== 'completed') return { at: i, reason: why, summary };
    }
    moments[i]!.workIn.resolve();
    moments[i]!.accepted.resolve();
    moments[i]!.finished.resolve();
    // Checked on the combined heads once its producers' runs finished (their work trees final).
    const held = await heldBy(producers.map((j) => moments[j]!.finished));
    if (held) {
      outcome.reason = `not checked on the combined heads: ${held}`;
      return undefined;
    }
    // Its checks on the combined heads, its producers' changed heads linked in: a producer's change
    // after its work was accepted (its review's) is caught here, naming the failing tests. Its run's
    // own checks stand for them when they ran so and nothing of either changed after.
    const standing = await evidence.standing([...memberCommands(member.config).keys()], outcome.linked ?? []);
    const checked: CombinedReport = standing
      ? { file: place.workspace.file, members: [standing], passed: true }
      : await checkCombinedHeads(place.root, {
          trusted: opts.host.isTrusted(),
          member: member.name,
          ...(opts.signal ? { signal: opts.signal } : {}),
        });
    checkedOf[i] = { ...checked, members: checked.members.filter((m) => m.name === member.name) };
    if (!checked.passed) return { at: i, reason: `on the combined heads: ${failingWords(checked)}` };
    // Committed after its producers' parts were: the set's branches never hold a consumer's part alone.
    const notDone = await heldBy(producers.map((j) => moments[j]!.done));
    if (notDone) {
      outcome.reason = `not committed: ${notDone}`;
      return undefined;
    }
    // Committed on the set's branch: its consumers take it at HEAD, `publish <branch>` pushes it.
    // A set begun before the record kept what was not committed then is left for you to commit.
    if (opts.host.isTrusted() && record.uncommitted) {
      const part = {
        specId: outcome.specId,
        title: (await loadSpec(member.path, outcome.specId)).frontMatter.title,
        uncommitted: record.uncommitted[member.name] ?? [],
      };
      const commit = await commitMemberPart(member, part, { setId: record.setId, at: i + 1, of: members.length });
      if (commit) outcome.commit = commit;
    }
    moments[i]!.done.resolve();
    return undefined;
  };
  try {
    const ended = place.members.map(async (member, i) => {
      try {
        const stop = await implementOne(i);
        if (stop) stops.push(stop);
      } finally {
        // Whatever way it ended, its consumers stop waiting for it.
        for (const moment of Object.values(moments[i]!)) moment.reject(`${member.name} stopped`);
      }
    });
    await settledAll(ended);
    const combined: CombinedReport = { file: place.workspace.file, members: [], passed: true };
    for (const checked of checkedOf) {
      combined.members.push(...(checked?.members ?? []));
      combined.passed &&= checked?.passed ?? true;
    }
    if (stops.length === 0) return { ...summaryOf(place, record, members, specPath, 'completed'), combined };
    const summary = stopped(place, record, members, specPath, stops);
    return checkedOf.some(Boolean) ? { ...summary, combined } : summary;
  } finally {
    for (const links of linked.reverse()) links.restore();
  }
}

const producerStopped = (member: string, why: string): RunStop =>
  new RunStop(
    'blocked',
    `its producer ${why.replace(/ stopped$/, '')} stopped before its work was accepted: nothing to check ${member}'s against`,
    [
      '## Pipeline stopped: a producer of this change-set member stopped',
      `${why}: ${member}'s work is kept; its checks need the producer's accepted work.`,
      '### Action needed',
      "See the change-set's report for the producer's stop; `orchestrator approve <setId>` in the workspace's folder resumes both.",
    ].join('\n'),
  );

const linkFailed = (member: string, failed: string): RunStop =>
  new RunStop(
    'validation',
    `linking its producers failed: ${failed}`,
    [
      "## Pipeline stopped: a producer's head could not be linked in",
      `${member}'s link step failed on its producer's accepted work:`,
      failed,
    ].join('\n'),
  );

/** What failed on the combined heads: each command with the tests its runner named failing. */
function failingWords(report: CombinedReport): string {
  return report.members
    .flatMap((m) => [
      ...(m.status === 'failed' && m.reason ? [`${m.name}: ${m.reason}`] : []),
      ...m.commands
        .filter((c) => c.outcome.status !== 'passed')
        .map((c) => {
          const failing = c.outcome.status === 'failed' ? c.outcome.failing : undefined;
          return `${m.name}: ${c.command} ${c.outcome.status}${failing ? `: ${failing.join('; ')}` : ''}`;
        }),
    ])
    .join('; ');
}
