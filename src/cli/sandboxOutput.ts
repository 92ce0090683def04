import type { SandboxStatus } from '../core/engine';

/** `runners`' last lines (issue 36): whether agents and commands run confined here, and what that holds, or what to install. */
export function sandboxLines(sandbox: SandboxStatus): string {
  if (!sandbox.available) return `\nsandbox: none: ${sandbox.reason ?? 'unknown reason'}\n`;
  return `\nsandbox: ${sandbox.kind}\n${sandbox.enforces.map((line) => `  - ${line}\n`).join('')}`;
}
