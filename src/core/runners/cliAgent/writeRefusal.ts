/**
 * The owns rule as a CLI agent's own control applies it before a write happens (Claude Code's
 * PreToolUse hook, Copilot's permission callback): the same rule the owns gate applies after the
 * agent stops (agentChanges.ts), for one file named by a tool, with a reason the model reads.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import picomatch from 'picomatch';
import { isInstalledCode, protectedGlobOf } from '../../project/config';

/** Why a write to `file` (as the tool names it) is refused, or undefined when the layer may write it. */
export function writeRefusal(cwd: string, file: unknown, owns: readonly string[]): string | undefined {
  if (typeof file !== 'string' || file === '') return 'no file path';
  const rel = relative(cwd, isAbsolute(file) ? file : resolve(cwd, file))
    .split('\\')
    .join('/');
  if (rel === '' || rel.startsWith('../') || rel === '..' || isAbsolute(rel))
    return `${file} is outside the project copy you work in`;
  const guarded = protectedGlobOf(rel);
  if (guarded) return `${rel} is a protected path (${guarded}): no agent writes it`;
  if (isInstalledCode(rel)) return `${rel} is installed code (node_modules): no agent writes it`;
  if (owns.length === 0) return 'you work read-only here: no file may change';
  if (!picomatch([...owns], { dot: true })(rel))
    return `${rel} is outside your layer's files (owns: ${owns.join(', ')})`;
  return undefined;
}
