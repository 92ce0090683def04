import type * as MermaidRoom from './room';

/** The Mermaid room (dist/mermaid.js once built): loaded by the first gate that checks a Mermaid block. */
export function mermaidRoom(): typeof MermaidRoom {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./room') as typeof MermaidRoom;
}
