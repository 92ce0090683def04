/**
 * Validation you can trust: a `validate`, `sync`, `audit.test`, `deploy` or `smoke` command must not execute a
 * file some layer's agent may write, or the agent decides its own verdict (and runs code
 * with the user's rights). Such a command is a configuration error naming the file, line
 * and key, the program and the `owns` glob that covers it. Paths given as data are fine.
 * Files reached through a manifest, a task file or a tool config (a package.json and its
 * scripts' programs, a Makefile, eslint.config.js) may be owned: an agent must be able to add
 * a dependency. A change to what they execute asks first at run time (validationFiles.ts).
 */
import { readFileSync, realpathSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import { executedFiles, type ExecutedFile, type ScriptsReader } from './commandPrograms';
import { formatKeyPath, type ParsedSource, ProjectFileError } from '../sources';
import { lastJsWorkspace } from './jsWorkspace';

export interface ConfiguredCommand {
  /** Key path in the config, e.g. ['layers', 'backend', 'validate', 0]. */
  key: (string | number)[];
  command: string;
}

/**
 * The slice of the config holding the commands the orchestrator runs and the layers' owns globs
 * (OrchestratorConfig passes as it is): config/ loads the config and asks this room to check it.
 */
export interface CommandsConfig {
  layers: Readonly<Record<string, { owns: readonly string[]; validate: readonly string[] }>>;
  sync: readonly string[];
  audit: { test: readonly string[] };
  worktree: { setup: readonly string[] };
  deploy: readonly string[];
  smoke: readonly string[];
}

/** Every command the orchestrator runs from the config, with where it is written. */
export function configuredCommands(config: CommandsConfig): ConfiguredCommand[] {
  const commands: ConfiguredCommand[] = [];
  for (const [name, layer] of Object.entries(config.layers)) {
    layer.validate.forEach((command, i) => commands.push({ key: ['layers', name, 'validate', i], command }));
  }
  config.sync.forEach((command, i) => commands.push({ key: ['sync', i], command }));
  config.audit.test.forEach((command, i) => commands.push({ key: ['audit', 'test', i], command }));
  config.worktree.setup.forEach((command, i) => commands.push({ key: ['worktree', 'setup', i], command }));
  config.deploy.forEach((command, i) => commands.push({ key: ['deploy', i], command }));
  config.smoke.forEach((command, i) => commands.push({ key: ['smoke', i], command }));
  return commands;
}

/** package.json scripts, read from the workspace (a missing or broken file has none), and its JS workspace packages (as last loaded). */
export function workspaceScripts(workspace: string): ScriptsReader {
  const cache = new Map<string, Record<string, string> | undefined>();
  const members = () => lastJsWorkspace(workspace)?.members ?? new Map<string, string>();
  const reader: ScriptsReader = (packageJson) => {
    if (!cache.has(packageJson)) {
      let scripts: Record<string, string> | undefined;
      try {
        const parsed = JSON.parse(readFileSync(join(workspace, packageJson), 'utf8')) as { scripts?: unknown };
        if (parsed.scripts && typeof parsed.scripts === 'object') scripts = parsed.scripts as Record<string, string>;
      } catch {
        scripts = undefined;
      }
      cache.set(packageJson, scripts);
    }
    return cache.get(packageJson);
  };
  reader.packageDir = (selector) => {
    for (const [dir, name] of members()) if (name === selector || dir === selector) return dir;
    return undefined;
  };
  reader.packageDirs = () => [...members().keys()];
  return reader;
}

/** The files a configured command executes, each with the real path a symlink leads to (when it differs). */
export function commandFiles(
  workspace: string,
  command: string,
  scripts = workspaceScripts(workspace),
): (ExecutedFile & { real?: string })[] {
  return executedFiles(command, scripts).map((file) => {
    const real = realRelative(workspace, file.path);
    return real !== undefined && real !== file.path ? { ...file, real } : file;
  });
}

/** Throws ProjectFileError for the first command that executes a file inside some layer's `owns`. */
export function checkCommandPrograms(workspace: string, config: CommandsConfig, source: ParsedSource): void {
  const globs = Object.entries(config.layers).flatMap(([layer, { owns }]) =>
    owns.map((glob, index) => ({ layer, glob, index, test: picomatch(glob, { dot: true, nocase: true }) })),
  );
  const scripts = workspaceScripts(workspace);
  for (const { key, command } of configuredCommands(config)) {
    for (const file of commandFiles(workspace, command, scripts)) {
      // Manifests, task files, tool configs and what their scripts run may be owned: a change asks first.
      if (file.guarded) continue;
      for (const path of [file.path, ...(file.real ? [file.real] : [])]) {
        const owner = globs.find((g) => g.test(path) || g.test(`${path}/x`));
        if (!owner) continue;
        const at = source.locate(key);
        const shown = path === file.path ? path : `${file.path} (a symlink to ${path})`;
        throw new ProjectFileError(
          { file: source.file, line: at.line, column: at.column, key: formatKeyPath(key) },
          `${JSON.stringify(command)} executes ${shown} (${file.via}), which matches ${formatKeyPath(['layers', owner.layer, 'owns', owner.index])} ${JSON.stringify(owner.glob)}: ` +
            `the ${owner.layer} agent could rewrite what validates it. Move the program out of every layer's owns (e.g. to scripts/) and pass the folder it checks as data`,
        );
      }
    }
  }
}

function realRelative(workspace: string, path: string): string | undefined {
  try {
    const root = realpathSync(workspace);
    const rel = relative(root, realpathSync(join(root, path)));
    if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`)) return undefined;
    return rel.split(sep).join('/');
  } catch {
    return undefined;
  }
}
