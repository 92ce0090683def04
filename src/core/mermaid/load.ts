import { ConfigurationError } from '../errors';
import { leftOutBundle } from '../text/leftOutBundle';
import type * as MermaidRoom from './room';

/**
 * The Mermaid room (dist/mermaid.js once built): loaded by the first gate that checks a Mermaid
 * block. The Action's vendored tree leaves it out (the feature workflow the Action runs checks no
 * Mermaid): a gate that asks for it there stops saying so, not with Node's require stack.
 */
export function mermaidRoom(): typeof MermaidRoom {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('./room') as typeof MermaidRoom;
  } catch (error) {
    const missing = leftOutBundle(error, "The gate's Mermaid check (`checks: [mermaid]` in the workflow)");
    throw missing ? new ConfigurationError(`${missing} Or take \`mermaid\` out of the workflow's checks.`) : error;
  }
}
