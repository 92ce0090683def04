/**
 * The files the configured commands and proof commands execute (their programs, scripts, package.json), hashed
 * when a run starts. Before a command runs, its files are hashed again: if one changed while
 * the run was going (by a build step, another process, anything but the human who then
 * resumes), the run stops instead of running code nobody reviewed as the judge of the work.
 * A change the human accepted (a layer agent's, after the validator-change question) is
 * re-hashed instead. A package.json counts by its scripts: adding a dependency changes no
 * command.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { OrchestratorConfig } from '../../project/config';
import { commandFiles, configuredCommands, type ScriptsReader, workspaceScripts } from '../../project/commands';
import { RunStop } from '../../errors';

interface Fingerprint {
  path: string;
  via: string;
  hash: string;
}

export class CommandFiles {
  private readonly known = new Map<string, Fingerprint[]>();
  /** Paths whose change a human accepted: their next hash becomes the reference. */
  private readonly accepted = new Set<string>();

  private constructor(private readonly workspace: string) {}

  /** Hashes what every command of the config executes, now (run start). */
  static snapshot(workspace: string, config: OrchestratorConfig): CommandFiles {
    const files = new CommandFiles(workspace);
    const scripts = workspaceScripts(workspace);
    for (const command of judgingCommands(config)) files.known.set(command, files.fingerprints(command, scripts));
    return files;
  }

  /**
   * The same with the files read off the main thread: a run's start, twenty at once in `serve`
   * (issue 63), where a synchronous read of each command's files held its main thread.
   */
  static async take(workspace: string, config: OrchestratorConfig): Promise<CommandFiles> {
    const files = new CommandFiles(workspace);
    const scripts = workspaceScripts(workspace);
    const commands = judgingCommands(config);
    const hashed = await Promise.all(
      commands.map((command) =>
        Promise.all(
          commandFiles(workspace, command, scripts).map(async (file) => ({
            path: file.path,
            via: file.via,
            hash: await hashOfSoon(join(workspace, file.path)),
          })),
        ),
      ),
    );
    // In the config's order, as snapshot() keeps them.
    commands.forEach((command, i) => files.known.set(command, hashed[i]!));
    return files;
  }

  /** Throws a RunStop when a file `command` executes is not what it was at run start. */
  verify(command: string): void {
    const before = this.known.get(command);
    if (!before) {
      // A command the config did not list at run start: what it runs now is the reference.
      this.known.set(command, this.fingerprints(command, workspaceScripts(this.workspace)));
      return;
    }
    const now = this.fingerprints(command, workspaceScripts(this.workspace));
    const was = new Map(before.map((f) => [f.path, f.hash]));
    const changed = [
      ...now.filter((f) => was.get(f.path) !== f.hash),
      ...before.filter((f) => !now.some((n) => n.path === f.path)),
    ].filter((f) => !this.accepted.has(f.path));
    if (changed.length > 0) throw programChanged(command, changed);
    this.known.set(command, now);
  }

  /** The files some configured command executes, as of run start (what a change to asks first). */
  paths(): Set<string> {
    return new Set([...this.known.values()].flatMap((list) => list.map((f) => f.path)));
  }

  /** The commands that execute `path`. */
  commandsRunning(path: string): string[] {
    return [...this.known].filter(([, list]) => list.some((f) => f.path === path)).map(([command]) => command);
  }

  /** A human allowed these files to change: they are re-hashed when next verified instead of stopping the run. */
  accept(paths: readonly string[]): void {
    for (const path of paths) this.accepted.add(path);
  }

  private fingerprints(command: string, scripts: ScriptsReader): Fingerprint[] {
    return commandFiles(this.workspace, command, scripts).map((file) => ({
      path: file.path,
      via: file.via,
      hash: hashOf(join(this.workspace, file.path)),
    }));
  }
}

/**
 * The config's commands and its proof commands: a proof command may run a runner's script a layer owns through the
 * package's script (`npm test -- {files}` running `bin/jasmine.js`, commandTrust.ts), so a change to it asks first too.
 */
function judgingCommands(config: OrchestratorConfig): string[] {
  return [...configuredCommands(config).map(({ command }) => command), ...config.proof.command];
}

function hashOf(abs: string): string {
  try {
    return statSync(abs).isDirectory() ? 'directory' : digest(abs, readFileSync(abs));
  } catch {
    return 'missing';
  }
}

async function hashOfSoon(abs: string): Promise<string> {
  try {
    return (await stat(abs)).isDirectory() ? 'directory' : digest(abs, await readFile(abs));
  } catch {
    return 'missing';
  }
}

function digest(abs: string, bytes: Buffer): string {
  if (basename(abs) === 'package.json') {
    const scripts = packageScripts(bytes.toString('utf8'));
    if (scripts !== undefined) return createHash('sha256').update(`scripts\0${scripts}`).digest('hex');
  }
  return createHash('sha256').update(bytes).digest('hex');
}

/** A package.json's scripts, canonical; undefined when the text is no JSON object. */
export function packageScripts(text: string): string | undefined {
  try {
    const json = JSON.parse(text) as { scripts?: unknown };
    if (json === null || typeof json !== 'object') return undefined;
    return JSON.stringify(json.scripts ?? {});
  } catch {
    return undefined;
  }
}

function programChanged(command: string, changed: Fingerprint[]): RunStop {
  const files = changed.map((f) => `- \`${f.path}\` (${f.via})`);
  const report = [
    "## Pipeline stopped: a command's program changed during the run",
    `- Command: \`${command}\``,
    '- Changed since the run started:',
    ...files,
    '### Action needed',
    'Something other than the layer agents (which may not write these files) changed what this command runs. Check the change; if it is yours and safe, run `orchestrator resume`, which takes the files as they are now.',
  ].join('\n');
  return new RunStop(
    'tampered',
    `the files "${command}" executes changed during the run: ${changed.map((f) => f.path).join(', ')}`,
    report,
  );
}
