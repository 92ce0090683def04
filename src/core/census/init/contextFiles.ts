/**
 * A context file per layer from the census — its folders, stack, frameworks, the commands
 * that judge its work, the conventions found — so no agent runs without project instructions.
 */
import { gatesOf } from '../verify/gates';
import { visibleLine as printable } from '../../text/terminalText';
import type { ProposedLayer } from '../types';

export function layerContext(layer: ProposedLayer): string {
  const gates = gatesOf(layer);
  const lines = [
    `# ${layer.name} agent`,
    '',
    '<!-- Written by `orchestrator init` from a census of the repository. Edit freely: this file is yours. -->',
    '',
    `You implement the ${layer.name} part of an approved spec${layer.role && layer.role !== layer.name ? ` (the ${layer.role} of this repository)` : ''}. You may write only inside these globs; you may read the whole workspace:`,
    ...layer.owns.map((glob) => `- \`${printable(glob)}\``),
    '',
    '## Project',
    `- Folders: ${layer.dirs.map((d) => `\`${printable(d || '.')}/\``).join(', ')}`,
    ...(layer.stack.length > 0 ? [`- Stack: ${layer.stack.join(', ')}`] : []),
    ...(layer.frameworks.length > 0 ? [`- Frameworks and tools: ${layer.frameworks.join(', ')}`] : []),
    ...layer.conventions.map((c) => `- ${printable(c)}`),
    ...(layer.after.length > 0
      ? [
          `- Runs after: ${layer.after.map((name) => `${name}${layer.afterReasons?.[name] ? ` (${printable(layer.afterReasons[name])})` : ''}`).join(', ')}; read their changes before yours`,
        ]
      : []),
    '',
    '## Commands',
    ...(gates.length > 0
      ? [
          'The orchestrator runs these after your changes, from the repository root; each must pass:',
          ...gates.map((g) => `- \`${printable(g.command)}\` (from ${printable(g.origin)})`),
        ]
      : [
          'The repository names no command that checks this layer: keep changes small and consistent with the code around them.',
        ]),
    '',
    '## Conventions',
    '- Read the files next to the ones you change and mirror them: naming, layout, error handling, tests beside the code they test.',
    '- Change only what the tasks need: no drive-by refactors, no edits outside your globs.',
    '- Adding a dependency to the manifest you own is fine; changing what a validate command runs (a package script, a Makefile target, a tool config) asks the user first.',
    '',
  ];
  return lines.join('\n');
}
