/**
 * The `proof:` section of the config `init` writes: `mode`, then `tests[i]` and `command[i]` per
 * layer whose runner the census knows, each saying where it came from and how its probe went; a
 * command that did not work, and a layer without a runner, are comments saying why. With no
 * command, `mode: off` and the one line saying why.
 */
import type { Document, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { visibleLine as printable } from '../../text/terminalText';
import { limitOf, MEASURED_TIMEOUT_FACTOR, MIN_MEASURED_TIMEOUT_SEC } from './gates';
import { probeText, proofSection } from './proofGates';
import type { ProposedLayer, ProposedProof } from '../types';

const RUNNER_WORDS: Record<string, string> = {
  node: 'node --test',
  go: 'go test',
  cargo: 'cargo test',
  dotnet: 'dotnet test',
  maven: 'Maven',
  gradle: 'Gradle',
  script: 'the test script',
};

/** The one line a test script read by its exit code gets. */
const SCRIPT_NOTE =
  'no reader knows its test runner yet: each proof test file runs alone through the test script, and its exit code says whether its tests passed';

/** A unit's folders its project's checks refused, and a lint failing with a proof test wherever it is (proofFolderGates.ts). */
function folderNotes(unit: ProposedProof['units'][number]): string[] {
  const rejected = (unit.gates?.rejected ?? []).map(
    (r) =>
      ` layer ${unit.layer}: not ${printable(r.tests)}, where ${printable(r.gate)} fails with a proof test: ${printable(r.firstLines[0] ?? 'no output')}`,
  );
  const failing = unit.gates?.failing;
  return failing
    ? [
        ...rejected,
        ` layer ${unit.layer}: ${printable(failing.gate)} fails with the probe test in every folder tried (${printable(failing.firstLines[0] ?? 'no output')}): a proof test there must pass it too`,
      ]
    : rejected;
}

export function proofNode(doc: Document, proof: ProposedProof, layers: readonly ProposedLayer[] = []): YAMLMap {
  const section = proofSection(proof, layers);
  const node = doc.createNode({}) as YAMLMap;
  const mode = doc.createNode(section.mode) as Scalar;
  mode.comment =
    section.mode === 'required'
      ? ' a test runner is known: each criterion gets a test, written before the code, that must fail on the base and pass after (advisory: recorded, never failing a layer; off)'
      : ` ${section.reason}`;
  const notes = [
    ...proof.units.flatMap((u) => folderNotes(u)),
    ...section.dropped.flatMap((u) => [
      ` not proposed for layer ${u.layer}: ${printable(u.command)} ${probeText(u.verified)}`,
      ...(u.verified?.status === 'failed' ? u.verified.firstLines.slice(1).map((l) => `   ${l}`) : []),
      ...(u.verified?.status === 'timed-out' ? (u.verified.lastLines ?? []).map((l) => `   ${l}`) : []),
    ]),
    ...(section.mode !== 'off'
      ? proof.without.map((w) => ` layer ${w.layer} has no proof command: ${printable(w.reason)}`)
      : []),
  ];
  const modeKey = doc.createNode('mode') as Scalar;
  node.items.push(doc.createPair(modeKey, mode));
  if (section.kept.length === 0) {
    if (notes.length > 0) modeKey.commentBefore = notes.join('\n');
    return node;
  }
  const tests = doc.createNode(section.kept.map((u) => u.tests)) as YAMLSeq;
  tests.items.forEach((item, i) => {
    const unit = section.kept[i]!;
    const runner = RUNNER_WORDS[unit.runner] ?? unit.runner;
    const checked = unit.gates?.passed.length
      ? `; ${printable(unit.gates.passed.join(', '))} pass${unit.gates.passed.length === 1 ? 'es' : ''} with a proof test in it`
      : '';
    (item as Scalar).comment = unit.onlyFiles
      ? ` layer ${unit.layer}: beside the project's tests; its own ${runner} command runs ${printable(unit.onlyFiles.join(' '))} only (from ${printable(unit.origin)}), so the proof command alone runs this folder${checked}`
      : ` layer ${unit.layer}: a folder ${runner} already runs (from ${printable(unit.origin)})${checked}`;
  });
  const command = doc.createNode(section.kept.map((u) => u.command)) as YAMLSeq;
  command.items.forEach((item, i) => {
    const unit = section.kept[i]!;
    (item as Scalar).comment =
      ` layer ${unit.layer}; ${unit.runner === 'script' ? `${SCRIPT_NOTE}; ` : ''}${probeText(unit.verified, unit.runner)}`;
  });
  const testsKey = doc.createNode('tests') as Scalar;
  if (notes.length > 0) testsKey.commentBefore = notes.join('\n');
  node.items.push(doc.createPair(testsKey, tests));
  node.set('command', command);
  const measured = limitOf(section.kept.map((u) => u.verified));
  if (measured) {
    const timeout = doc.createNode(measured.timeoutSec) as Scalar;
    timeout.comment = ` a proof command's limit in a run: ${MEASURED_TIMEOUT_FACTOR} × the slowest probe at init (${(measured.slowestMs / 1000).toFixed(1)} s), at least ${MIN_MEASURED_TIMEOUT_SEC} s`;
    node.set('timeoutSec', timeout);
  }
  return node;
}
