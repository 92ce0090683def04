/**
 * The config loader refuses a validate command that executes a file some layer owns (the agent
 * could rewrite what judges it). The census proposes none: `python -m pytest` run inside a
 * layer's folder would import a `pytest.py` that layer may write, so it becomes the tool's own
 * program (`pytest`); a command that still executes an owned file is dropped with a warning.
 */
import picomatch from 'picomatch';
import { executedFiles, type ScriptsReader } from '../../project/commands';
import type { ProposedLayer, ProposedProof } from '../types';

/** Python tools with a console script of their own: `python -m X` and `X` run the same check. */
const MODULE_TOOL = /\bpython[\d.]*\s+-m\s+(pytest|mypy|ruff|black|flake8|pylint|isort|pyright|bandit)\b/g;

export function trustedCommands(layers: ProposedLayer[], scripts: ScriptsReader, warnings: string[]): void {
  const ownerOf = commandOwner(layers, scripts);
  for (const layer of layers) {
    layer.validate = layer.validate.flatMap((proposed) => {
      if (!ownerOf(proposed.command)) return [proposed];
      const direct = proposed.command.replace(MODULE_TOOL, '$1');
      const owner = ownerOf(direct);
      if (!owner) return [{ ...proposed, command: direct }];
      warnings.push(
        `layer ${layer.name}: ${proposed.command} (from ${proposed.origin}) is not proposed: it runs ${owner.path}, which layer ${owner.layer} owns and could rewrite`,
      );
      return [];
    });
  }
}

/** The same rule for proof commands: a layer agent could otherwise make its proof tests pass by rewriting what runs them. */
export function trustedProofCommands(
  proof: ProposedProof,
  layers: readonly ProposedLayer[],
  scripts: ScriptsReader,
): void {
  const ownerOf = commandOwner(layers, scripts);
  proof.units = proof.units.flatMap((unit) => {
    if (!ownerOf(unit.command)) return [unit];
    const direct = unit.command.replace(MODULE_TOOL, '$1');
    const owner = ownerOf(direct);
    if (!owner) return [{ ...unit, command: direct }];
    proof.without.push({
      layer: unit.layer,
      reason: `${unit.command} runs ${owner.path}, which layer ${owner.layer} owns and could rewrite`,
    });
    return [];
  });
}

/** The layer owning a file the command executes (a script, a `python -m` module), if any. */
export function commandOwner(
  layers: readonly ProposedLayer[],
  scripts: ScriptsReader,
): (command: string) => { path: string; layer: string } | undefined {
  const owned = layers.flatMap((layer) =>
    layer.owns.map((glob) => ({ layer: layer.name, test: picomatch(glob, { dot: true, nocase: true }) })),
  );
  return (command) => {
    for (const file of executedFiles(command, scripts)) {
      if (file.guarded) continue;
      const owner = owned.find((o) => o.test(file.path) || o.test(`${file.path}/x`));
      if (owner) return { path: file.path, layer: owner.layer };
    }
    return undefined;
  };
}
