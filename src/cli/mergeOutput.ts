// `publish <set>` and `merge <set>` (issue 73): the change-set's pull requests as one set, and its merge in order.
import { engine, type Returns } from '../core/engineBundle';
import type * as PortalBundle from '../portal/index';
import type { CliArgs } from './args';
import { out, outJson, visibleLine } from './terminal';

type Published = Returns<'publishChangeSet'>;
type Merged = Returns<'mergeChangeSet'>;

/** 0 when the set is green (publish) or wholly merged (merge); 1 when red, held or stuck. */
export async function publishOrMerge(args: CliArgs, signal: AbortSignal, say: (line: string) => void): Promise<number> {
  // The GitHub room comes in serve's bundle (scripts/build.mjs: dist/portal.js), loaded only by these commands.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { changeSetForges } = require('../portal/index') as typeof PortalBundle;
  const forgeOf = changeSetForges(process.env);
  // Held by forgeOf from now on: no command the check runs inherits it (as serve holds it, src/github/index.ts).
  delete process.env.GITHUB_TOKEN;
  const options = {
    // The CLI runs in a terminal the user opened here: the workspace is trusted.
    trusted: true,
    signal,
    forgeOf,
    onStart: (member: string, command: string) => say(`${visibleLine(member)}: ${visibleLine(command)} …`),
    onStep: (member: string, step: string) => say(`${visibleLine(member)}: ${visibleLine(step)}`),
  };
  if (args.command === 'publish') {
    const report = await engine.publishChangeSet(process.cwd(), args.positional!, options);
    if (args.json) outJson(report);
    else printPublished(report);
    return report.passed ? 0 : 1;
  }
  const report = await engine.mergeChangeSet(process.cwd(), args.positional!, options);
  if (args.json) outJson(report);
  else printMerged(report);
  return report.outcome === 'merged' ? 0 : 1;
}

function printPublished(report: Published): void {
  const count = report.members.length === 1 ? '1 repository' : `${report.members.length} repositories`;
  out(`change-set ${visibleLine(report.set)}: ${count}, merged in this order\n`);
  report.members.forEach((m, i) =>
    out(
      `  ${i + 1}. ${m.passed ? '✓' : '✗'} ${visibleLine(m.name)}: ${visibleLine(m.pull ?? `${m.where}, ${m.base}`)}\n`,
    ),
  );
  if (report.outside.length)
    out(`  not in the set (no branch ${visibleLine(report.set)}): ${visibleLine(report.outside.join(', '))}\n`);
  out(
    `orchestrator/change-set: ${report.passed ? 'success' : 'failure'}: ${visibleLine(report.members[0]?.status ?? '')}\n`,
  );
}

function printMerged(report: Merged): void {
  printPublished(report.published);
  for (const m of report.members) {
    const what = {
      merged: `merged ${m.commit?.slice(0, 12)}`,
      resumed: `merged before ${m.commit?.slice(0, 12)}`,
      held: 'held',
      waiting: 'not merged',
    }[m.status];
    out(`  ${visibleLine(m.name)}: ${what}${m.reason ? ` (${visibleLine(m.reason)})` : ''}\n`);
  }
  if (report.resumed) out(`resumed the merge a killed run left (${visibleLine(report.journal)})\n`);
  if (report.outcome === 'merged') out(`change-set ${visibleLine(report.set)} merged, producers first\n`);
  if (report.outcome === 'held')
    out(`nothing merged: ${visibleLine(report.held!.member)} holds the set: ${visibleLine(report.held!.reason)}\n`);
  if (report.outcome === 'stuck') {
    out(
      `the set could not finish: ${visibleLine(report.held!.member)}: ${visibleLine(report.held!.reason)}; the revert proposed:\n`,
    );
    for (const line of report.revert ?? []) out(`  ${visibleLine(line)}\n`);
  }
}
