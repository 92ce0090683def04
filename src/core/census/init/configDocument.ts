/**
 * `.claude/orchestrator.yaml` from a census, through the `yaml` Document API: its first line names
 * the schema init writes beside it (docs/configuration.md, "In the editor"); every value
 * carries a comment saying where it came from (`# from .github/workflows/ci.yml`), and a
 * command that failed verification is written as a comment with its first error lines, not
 * as a gate.
 */
import { Document, isScalar, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { SCHEMA_MODELINE } from '../../project/config';
import { visibleLine as printable } from '../../text/terminalText';
import {
  gatesOf,
  MEASURED_TIMEOUT_FACTOR,
  measuredTimeoutSec,
  MIN_MEASURED_TIMEOUT_SEC,
  outcomeText,
} from '../verify/gates';
import { proofNode } from '../verify/proofDocument';
import { remainderLines } from '../commands/remainderLines';
import type { Census } from '../types';

export function censusDocument(census: Census, when = new Date()): Document {
  const doc = new Document({ version: 1 });
  doc.commentBefore = [
    // The first line, where editors with the YAML language server look for the config's schema (written beside it by init).
    ` ${SCHEMA_MODELINE}`,
    ` Written by \`orchestrator init\` from a census of this repository (${when.toISOString().slice(0, 10)}).`,
    ` ${census.ownedFiles} of ${census.sourceFiles} source files are owned by a layer${census.unowned.length > 0 ? `; ${census.unowned.length} are not (${census.unowned.slice(0, 3).map(printable).join(', ')}${census.unowned.length > 3 ? ', …' : ''})` : ''}.`,
    ' Edit freely: layers, owns, validate commands, schema and proof are yours. Everything else has defaults you can',
    ' override here: models (default, agents.<role>), limits (maxBudgetUsd, maxRetries, concurrency, …),',
    ' privacy.deny, commandEnv, review, checkpoints, isolation and worktree.',
  ].join('\n');
  const root = doc.contents as YAMLMap<Scalar, Scalar>;
  root.items[0]!.value!.comment = ' the config format';

  const layers = doc.createNode({}) as YAMLMap;
  for (const layer of census.layers) {
    const node = doc.createNode({}) as YAMLMap;
    const owns = doc.createNode(layer.owns) as YAMLSeq;
    commentItems(owns, () => ` from ${printable(layer.origin)}`);
    node.set('owns', owns);
    const gates = gatesOf(layer);
    const validate = doc.createNode(gates.map((g) => g.command)) as YAMLSeq;
    commentItems(
      validate,
      (i) => ` from ${printable(gates[i]!.origin)}${gates[i]!.outcome ? `; ${outcomeText(gates[i]!.outcome)}` : ''}`,
    );
    if (gates.length === 0) validate.flow = true;
    const notGates = layer.validate
      .map((v, i) => ({ ...v, outcome: layer.verified?.[i] }))
      .filter((v) => !gates.some((g) => g.command === v.command));
    const notes = notGates.flatMap((v) => {
      const lines =
        v.outcome?.status === 'failed'
          ? v.outcome.firstLines
          : v.outcome?.status === 'timed-out'
            ? (v.outcome.lastLines ?? [])
            : [];
      return [
        ` not a gate: ${printable(v.command)} (from ${printable(v.origin)}) ${outcomeText(v.outcome)}${lines.length > 0 ? (v.outcome?.status === 'timed-out' ? '; its last lines:' : ':') : ''}`,
        ...lines.map((l) => `   ${l}`),
      ];
    });
    if (gates.length === 0 && notGates.length === 0)
      notes.push(
        ' the repository names no command that checks this layer: add one',
        // What the census read for it and what it could not read or use, so the gap is plain where it is filled.
        ...(layer.remainder ? remainderLines(layer.remainder).map((line) => ` ${printable(line)}`) : []),
      );
    const validateKey = doc.createNode('validate') as Scalar;
    if (notes.length > 0) validateKey.commentBefore = notes.join('\n');
    node.items.push(doc.createPair(validateKey, validate));
    const measured = measuredTimeoutSec(layer);
    if (measured) {
      const timeout = doc.createNode(measured.timeoutSec) as Scalar;
      timeout.comment = ` each validate command's limit in a run: ${MEASURED_TIMEOUT_FACTOR} × the slowest at init (${(measured.slowestMs / 1000).toFixed(1)} s), at least ${MIN_MEASURED_TIMEOUT_SEC} s`;
      node.set('timeoutSec', timeout);
    }
    if (layer.after.length > 0) {
      const after = doc.createNode(layer.after) as YAMLSeq;
      after.flow = true;
      after.comment = ` ${layer.after.map((name) => printable(layer.afterReasons?.[name] ?? name)).join('; ')}`;
      node.set('after', after);
    }
    const name = doc.createNode(layer.name) as Scalar;
    name.comment = ` ${[layer.role ? `role ${layer.role}` : 'by folder', layer.stack.join('/'), layer.frameworks.join(', ')].filter(Boolean).join('; ')}`;
    layers.items.push(doc.createPair(name, node));
  }
  if (census.layers.length > 0) doc.set('layers', layers);
  const schema = doc.createNode(census.schema.map((s) => s.glob)) as YAMLSeq;
  if (census.layers.length === 0) {
    // Nothing to own yet (an empty repository): the default layers give new code a place.
    schema.commentBefore =
      ' No source files found: the default layers apply (database: db/**, backend: server/**, frontend: web/**).\n Add `layers:` here once the repository has code, or run `orchestrator init --force` again.';
  }
  commentItems(schema, (i) => ` from ${printable(census.schema[i]!.origin)}`);
  if (census.schema.length === 0) {
    schema.flow = true;
    schema.comment = ' no schema or migration folder found';
  }
  doc.set('schema', schema);
  if (census.proof) doc.set('proof', proofNode(doc, census.proof, census.layers));
  return doc;
}

function commentItems(seq: YAMLSeq, comment: (index: number) => string): void {
  seq.items.forEach((item, i) => {
    if (isScalar(item)) item.comment = comment(i);
  });
}
