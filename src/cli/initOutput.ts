/**
 * What `orchestrator init` prints: the census's proposal at once (issue 70: layers, their commands,
 * the proof folders), a line as each command's verification starts and ends, then a table of
 * layers, owns, commands and verification, the proof section and what it wrote.
 */
import type { Census, InitReport, VerifyOutcome } from '../core/census';
import {
  gitignoreMessage,
  initSummary,
  layerFolders,
  outcomeText,
  remainderLines,
  remainderWarning,
  unverifiedCount,
  verifyConcurrency,
} from '../core/engineBundle';
import { err, out as write, outJson, visibleLine } from './terminal';

/** The proposal before any command runs, on stderr beside the progress: a line per layer, then each proof folder and its command. */
export function printProposal(census: Census): void {
  const out = (line = '') => err(`${visibleLine(line)}\n`);
  out(
    `Census: ${census.files} files, ${census.sourceFiles} source files, ${census.layers.length} layer${census.layers.length === 1 ? '' : 's'} proposed (${census.ms} ms)`,
  );
  for (const layer of census.layers)
    out(
      `  ${layer.name} (${layer.owns.slice(0, 3).join(' ')}${layer.owns.length > 3 ? ` +${layer.owns.length - 3}` : ''}): ${layer.validate.map((v) => v.command).join('; ') || 'no command found'}`,
    );
  for (const unit of census.proof?.units ?? []) out(`  proof for ${unit.layer}: ${unit.tests} with ${unit.command}`);
  for (const without of census.proof?.without ?? []) out(`  no proof for ${without.layer}: ${without.reason}`);
}

export function printInit(report: InitReport, json: boolean): void {
  if (json) {
    outJson(initSummary(report));
    return;
  }
  // Every line goes through the CLI's terminal filter: folder names and command output are the repository's.
  const out = (line = '') => write(`${line}\n`);
  const { census } = report;
  out(
    `Census: ${census.files} files, ${census.sourceFiles} source files, ${census.ownedFiles} owned by ${census.layers.length} layer${census.layers.length === 1 ? '' : 's'} (${census.ms} ms)`,
  );
  const rows = census.layers.flatMap((layer) => {
    const commands = layer.validate.length > 0 ? layer.validate : [{ command: '(none)', origin: '' }];
    return commands.map((v, i) => [
      i === 0 ? layer.name + (layer.after.length > 0 ? ` (after ${layer.after.join(', ')})` : '') : '',
      i === 0 ? layer.owns.slice(0, 3).join(' ') + (layer.owns.length > 3 ? ` +${layer.owns.length - 3}` : '') : '',
      v.command,
      v.origin === '' ? '' : outcomeText(layer.verified?.[i]),
    ]);
  });
  table(['layer', 'owns', 'validate', 'verification'], rows, out);
  // A layer with no check: what the census read for it and what it could not (its warning says the same on one line).
  const remainders = census.layers.filter((l) => l.remainder);
  for (const layer of remainders) {
    out(`${layer.name}: no check found for ${layerFolders(layer)}`);
    remainderLines(layer.remainder!).forEach((line) => out(`  ${line}`));
  }
  for (const layer of census.layers) {
    layer.verified?.forEach((outcome, i) => {
      if (outcome.status === 'failed' || outcome.status === 'timed-out') {
        const lines = outcome.status === 'failed' ? outcome.firstLines : (outcome.lastLines ?? []);
        out(
          `${layer.name}: ${layer.validate[i]!.command} ${outcomeText(outcome)} (written as a comment, not a gate)${lines.length > 0 ? ':' : ''}`,
        );
        lines.forEach((line) => out(`  ${line}`));
      }
    });
  }
  const proof = initSummary(report) as { proof?: { mode: string; reason?: string } };
  if (proof.proof)
    out(`proof: ${proof.proof.mode}${proof.proof.reason ? ` (${visibleLine(proof.proof.reason)})` : ''}`);
  for (const unit of census.proof?.units ?? [])
    out(`  ${unit.layer}: ${unit.tests} with ${unit.command}: ${outcomeText(unit.verified)}`);
  const unverified = unverifiedCount(census);
  if (unverified > 0) {
    const which = `${unverified} proposed command${unverified === 1 ? ' was' : 's were'}`;
    out(
      `${which} not verified: kept as proposed, unverified (a run checks each on the base before it counts against a layer; \`orchestrator init --force\` verifies them again)`,
    );
  }
  if (census.schema.length > 0) out(`schema: ${census.schema.map((s) => s.glob).join(', ')}`);
  if (census.unowned.length > 0)
    out(
      `unowned: ${census.unowned.length} source file${census.unowned.length === 1 ? '' : 's'} (${census.unowned.slice(0, 5).join(', ')}${census.unowned.length > 5 ? ', …' : ''})`,
    );
  const said = new Set(remainders.map(remainderWarning));
  census.warnings.filter((w) => !said.has(w)).forEach((warning) => out(`warn: ${warning}`));
  out();
  if (report.config === 'kept') {
    out(
      '.claude/orchestrator.yaml exists and was kept; the census proposes (run `orchestrator init --force` to replace it, keeping a .bak):',
    );
    out(report.diff ?? '');
    report.created.forEach((file) => out(`wrote ${file}`));
    return;
  }
  if (report.backup) out(`kept the old config as ${report.backup}`);
  report.created.forEach((file) => out(`created ${file}`));
  report.kept.forEach((file) => out(`kept    ${file} (already there)`));
  const ignore = gitignoreMessage(report.gitignore);
  if (ignore) out(ignore);
  if (report.formatted) out(`formatted ${report.formatted.length} of them with the project's Prettier`);
}

/** While `init` verifies: a header once (how to stop, how to skip), then a line as each command starts and ends. */
export function verifyLines(started = Date.now()): {
  start: (command: string, index: number, total: number) => string;
  end: (command: string, outcome: VerifyOutcome) => string;
} {
  let first = true;
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;
  return {
    start: (command, index, total) => {
      const header = first
        ? `Verifying ${total} proposed command${total === 1 ? '' : 's'} in a throwaway worktree of the repository, up to ${verifyConcurrency()} at a time (Ctrl-C stops and keeps what is verified; \`orchestrator init --no-verify\` skips this)\n`
        : '';
      first = false;
      return `${header}[${index}/${total}] running ${visibleLine(command)}`;
    },
    end: (command, outcome) => {
      const mark = outcome.status === 'passed' ? '✓' : outcome.status === 'skipped' ? '-' : '✗';
      const fate =
        outcome.status === 'passed' || outcome.status === 'skipped' ? '' : ' (written as a comment, not a gate)';
      return visibleLine(`${mark} ${command}: ${outcomeText(outcome)}${fate} [${elapsed()}]`);
    },
  };
}

function table(header: string[], rows: string[][], out: (line: string) => void): void {
  const widths = header.map((h, c) => Math.min(60, Math.max(h.length, ...rows.map((r) => r[c]!.length))));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (c === cells.length - 1 ? cell : cell.slice(0, 60).padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  out(line(header));
  rows.forEach((row) => out(line(row)));
}
