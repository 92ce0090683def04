/** The user's edits of the census in Initialize Workspace, applied to it before it is written. */
import type { AcceptedLayer, Census, ProposedLayer, VerifyOutcome } from '../types';

/** The census with the layers as the user left them: renamed, owns and commands edited, some dropped. */
export function applyEdits(census: Census, accepted: readonly AcceptedLayer[]): Census {
  const renamed = new Map(accepted.map((a) => [a.from, a.name]));
  const layers: ProposedLayer[] = [];
  for (const edit of accepted) {
    const base = census.layers.find((l) => l.name === edit.from);
    if (!base) throw new Error(`the proposal has no layer "${edit.from}"`);
    const validate = edit.validate.map(
      (command) =>
        base.validate.find((v) => v.command === command) ?? { command, origin: 'Initialize Workspace (edited)' },
    );
    const verified = base.verified
      ? edit.validate.map(
          (command): VerifyOutcome =>
            base.verified![base.validate.findIndex((v) => v.command === command)] ?? {
              status: 'skipped',
              reason: 'added in Initialize Workspace',
            },
        )
      : undefined;
    // What the census could not find for a layer no longer holds once the user gave it a command.
    const { verified: _proposed, remainder, ...rest } = base;
    layers.push({
      ...rest,
      ...(remainder && validate.length === 0 ? { remainder } : {}),
      name: edit.name,
      owns: edit.owns,
      validate,
      after: base.after.filter((a) => renamed.has(a)).map((a) => renamed.get(a)!),
      ...(verified ? { verified } : {}),
    });
  }
  // A layer's proof goes with it: renamed with it, dropped with it.
  const proof = census.proof && {
    units: census.proof.units.filter((u) => renamed.has(u.layer)).map((u) => ({ ...u, layer: renamed.get(u.layer)! })),
    without: census.proof.without
      .filter((w) => renamed.has(w.layer))
      .map((w) => ({ ...w, layer: renamed.get(w.layer)! })),
  };
  return { ...census, layers, ...(proof ? { proof } : {}) };
}
