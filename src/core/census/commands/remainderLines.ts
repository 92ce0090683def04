/** A layer's remainder in words (checkRemainder.ts): the config's comment, init's summary and its warning say the same. */
import type { CheckRemainder, ProposedLayer } from '../types';

/** `read: …`, then a line per thing it could not read or use. */
export function remainderLines(remainder: CheckRemainder): string[] {
  return [
    `read: ${remainder.read.join('; ') || 'no manifest or CI file for it'}`,
    ...remainder.unread.map((u) => `could not use ${u.what}: ${u.why}`),
  ];
}

/** A layer's folders as its remainder names them (`api/, web/`, `the root`). */
export function layerFolders(layer: ProposedLayer): string {
  return layer.dirs.map((d) => (d ? `${d}/` : 'the root')).join(', ');
}

/** The census's warning for a layer it found no check for, its remainder on the same line. */
export function remainderWarning(layer: ProposedLayer): string {
  const said = layer.remainder ? ` (${remainderLines(layer.remainder).join('; ')})` : '';
  return `layer ${layer.name}: the repository names no command that checks ${layerFolders(layer)}; it has no validate command${said}`;
}
