// `check workspace --combined` (issue 73): each member's checks on the combined heads, producers first.
import type { Returns } from '../core/engine';
import type { VerifyOutcome } from '../core/census';
import type { CliArgs } from './args';
import { out, outJson, visibleLine } from './terminal';
import { UsageError } from './usageError';

type Report = Returns<'checkCombinedHeads'>;

/** `--branch=NAME`: each member at that branch; a bare `--branch` names none. */
export function combinedAt(args: CliArgs): { at?: string } {
  if (args.branch === true) throw new UsageError('check workspace --combined --branch needs the branch: --branch=NAME');
  return typeof args.branch === 'string' ? { at: args.branch } : {};
}

/** What the CLI shows while it runs: each step and command as it starts. */
export function combinedProgress(say: (line: string) => void) {
  return { onStart: (member: string, command: string) => say(`${visibleLine(member)}: ${visibleLine(command)} …`) };
}

/** 0 when no member failed (one not checked says why), else 1. */
export function printCombinedCheck(report: Report, json: boolean): number {
  const code = report.passed ? 0 : 1;
  if (json) {
    outJson(report);
    return code;
  }
  out(`${visibleLine(report.file)}: the members on their combined heads, producers first\n${combinedLines(report)}`);
  return code;
}

/** Each member's mark, links and commands, two spaces in (a change-set's run ends with them too). */
export function combinedLines(report: Report): string {
  let text = '';
  for (const member of report.members) {
    const mark = { passed: '✓', failed: '✗', 'not-checked': '-' }[member.status];
    const linked = member.linked.map((l) =>
      l.notLinked ? `${l.producer} not linked (${l.notLinked})` : `${l.producer} linked via ${l.via}`,
    );
    const at = member.at ? ` at ${member.at}` : '';
    text += `  ${mark} ${visibleLine(member.name)}${visibleLine(at)}${linked.length ? ` (${visibleLine(linked.join(', '))})` : ''}\n`;
    if (member.reason) text += `      ${visibleLine(member.reason)}\n`;
    for (const step of member.linked.filter((l) => l.outcome)) text += lineOf(`link: ${step.step}`, step.outcome!);
    for (const { command, outcome } of member.commands) text += lineOf(command, outcome);
  }
  return text;
}

function lineOf(command: string, outcome: VerifyOutcome): string {
  const head = `      ${visibleLine(command)}: ${visibleLine(outcomeWords(outcome))}\n`;
  // The failing tests named, the runner's lines are its summary: the first error lines only when none is named.
  const lines =
    outcome.status === 'failed' && !outcome.failing
      ? outcome.firstLines
      : outcome.status === 'timed-out'
        ? outcome.lastLines
        : [];
  return head + (lines ?? []).map((line) => `        ${visibleLine(line)}\n`).join('');
}

function outcomeWords(outcome: VerifyOutcome): string {
  switch (outcome.status) {
    case 'passed':
      return `passed in ${(outcome.ms / 1000).toFixed(1)} s`;
    case 'failed':
      return outcome.failing ? `failed: ${outcome.failing.join('; ')}` : 'failed';
    case 'timed-out':
      return `did not end within ${(outcome.ms / 1000).toFixed(1)} s`;
    case 'missing-tool':
      return `${outcome.tool} is not installed`;
    case 'skipped':
      return `not run: ${outcome.reason}`;
  }
}
