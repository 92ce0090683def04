// The incremental build's stamp (dist/.inputs.json): what dist/ was built from, so an unchanged tree builds nothing.
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';

/** Every file a build read (the bundles' inputs, the portal's page, the build's own scripts), with its size and time. */
function inputsOf(inputs) {
  const files = [
    ...new Set([
      ...inputs,
      'src/portal/client/index.html',
      'src/portal/client/portal.css',
      'scripts/build.mjs',
      'scripts/buildStamp.mjs',
      'scripts/builtFrom.mjs',
      'scripts/artifacts.mjs',
      'scripts/engineRooms.mjs',
      'action.yml',
      'scripts/mermaidParseOnly.mjs',
      'package.json',
      'package-lock.json',
    ]),
  ].sort();
  return Object.fromEntries(files.map((f) => [f, signature(f)]));
}

function signature(file) {
  try {
    const s = statSync(file);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

export function writeStamp(stamp, targets, inputs, requires) {
  const temp = `${stamp.file}.${process.pid}.tmp`;
  writeFileSync(
    temp,
    JSON.stringify({ kind: stamp.kind, outputs: targets.map((t) => t.outfile), inputs: inputsOf(inputs), requires }),
  );
  renameSync(temp, stamp.file);
}

/**
 * The stamp of the last build when dist/ holds this kind of build of exactly the files it was made
 * from (none changed, none missing, the bundles' requires recorded); else undefined.
 */
export function upToDate(stamp, targets) {
  let last;
  try {
    last = JSON.parse(readFileSync(stamp.file, 'utf8'));
  } catch {
    return undefined;
  }
  if (
    last.kind !== stamp.kind ||
    JSON.stringify(last.outputs) !== JSON.stringify(targets.map((t) => t.outfile)) ||
    !last.requires
  )
    return undefined;
  if (!last.outputs.every((f) => existsSync(f))) return undefined;
  return Object.entries(last.inputs).every(([file, sig]) => signature(file) === sig) ? last : undefined;
}
