/** The sandbox room's shapes; index.ts is the one door that exports them. */

export interface SandboxPolicy {
  /** Where the process starts (the worktree, the command's workspace). */
  cwd: string;
  /** Read-write, at the same paths inside: the work, a private state folder. */
  writable: readonly string[];
  /** Read-only beyond the system and the toolchains on PATH (a CLI's installation, a linked node_modules). */
  readOnly?: readonly string[];
  /** HOME inside: a private folder, writable. */
  home: string;
  /** The private temporary folder: mounted as /tmp inside (Linux), TMPDIR. */
  tmp: string;
  /** "host:port" or "host" (ports 443 and 80) reachable; [] = none, loopback refused too. */
  network: readonly string[];
  /** Who runs there, for `sandbox.denied` events. */
  who: { agent?: string; command?: string };
  /** Never exposed by the automatic toolchain binds (the user's checkout); `readOnly`/`writable` still win. */
  hidden?: readonly string[];
  /**
   * The process brings a sandbox of its own that runs inside this one (Codex's workspace-write,
   * Claude Code's sandbox: bubblewrap too): it may make user namespaces inside, with no more
   * than it has here. Everything else holds as without it.
   */
  nested?: boolean;
}

export interface SandboxDenial {
  kind: 'read' | 'write' | 'net' | 'exec';
  target: string;
}

export interface SandboxLaunch {
  /** What to spawn instead of the original command. */
  command: string;
  args: string[];
  /** The env to spawn it with (HOME and TMPDIR set to the private ones). */
  env: Record<string, string>;
  /**
   * After the child exits: stops the relays, removes the launch's own files, and says what was
   * refused, read from the child's `output` when given (denials.ts: what is and is not seen).
   */
  close(output?: string): Promise<SandboxDenial[]>;
}

export interface SandboxSupport {
  available: boolean;
  kind: 'bubblewrap' | 'seatbelt' | 'none';
  /** Why not (one line naming what to install or change), when not available. */
  reason?: string;
  /** What it enforces, one short line per guarantee (for `runners` and `doctor`). */
  enforces?: readonly string[];
}
