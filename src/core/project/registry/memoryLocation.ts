/**
 * Which file holds the memory graph (docs/configuration.md): `memory:` in the config, else the memory
 * server's `MEMORY_FILE_PATH` in `.mcp.json` / `.vscode/mcp.json` (JSONC: comments and
 * trailing commas; servers under `mcpServers` or `servers`; `${workspaceFolder}`, relative
 * or absolute paths), else `.claude/memory.jsonl`, else `.claude/memory.json`. A path that
 * leads outside the workspace is not read: a warning says so and the defaults apply.
 */
import { statSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep, win32 } from 'node:path';
// The ESM build: esbuild cannot follow the `require` calls of the package's UMD main.
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser/lib/esm/main.js';
import type { OrchestratorConfig } from '../config';
import { isJsonObject, MEMORY_FILE, readOptionalText } from '../sources';

export const MCP_CONFIG_FILES = ['.mcp.json', '.vscode/mcp.json'];
export const DEFAULT_MEMORY_FILES = [MEMORY_FILE, '.claude/memory.json'];

export interface MemoryLocation {
  /** Workspace-relative path of the graph to read; undefined when there is none. */
  file?: string;
  /** Where the path came from. */
  from: 'config' | 'mcp' | 'default' | 'none';
  warnings: string[];
}

export async function locateMemoryFile(
  workspace: string,
  config: Pick<OrchestratorConfig, 'memory'>,
): Promise<MemoryLocation> {
  if (config.memory) return { file: config.memory.replace(/\\/g, '/'), from: 'config', warnings: [] };
  const warnings: string[] = [];
  for (const mcpFile of MCP_CONFIG_FILES) {
    const configured = await memoryPathIn(workspace, mcpFile, warnings);
    if (configured === undefined) continue;
    const inside = await insideWorkspace(workspace, configured.path);
    if (inside !== undefined) return { file: inside, from: 'mcp', warnings };
    warnings.push(
      `${mcpFile}: the memory server's MEMORY_FILE_PATH (${configured.raw}) is outside the workspace, so it is not read; set \`memory:\` in .claude/orchestrator.yaml to a file inside the workspace`,
    );
    break;
  }
  for (const file of DEFAULT_MEMORY_FILES) {
    if (await isFile(join(workspace, file))) return { file, from: 'default', warnings };
  }
  return { from: 'none', warnings };
}

/** The first `MEMORY_FILE_PATH` of a server in an MCP config, memory servers first; absolute. */
async function memoryPathIn(
  workspace: string,
  mcpFile: string,
  warnings: string[],
): Promise<{ path: string; raw: string } | undefined> {
  const text = await readOptionalText(join(workspace, mcpFile));
  if (text === undefined) return undefined;
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first || !isJsonObject(value)) {
    const problem = first
      ? `${mcpFile}:${lineAt(text, first.offset)}: not valid JSON (${printParseErrorCode(first.error)})`
      : `${mcpFile}: not a JSON object`;
    warnings.push(
      `${problem}; ${isJsonObject(value) ? 'its memory server settings are read as far as it goes' : 'its memory server settings are ignored'}`,
    );
    if (!isJsonObject(value)) return undefined;
  }
  const servers = [value.mcpServers, value.servers, isJsonObject(value.mcp) ? value.mcp.servers : undefined]
    .filter(isJsonObject)
    .flatMap((group) => Object.entries(group));
  const withPath = servers
    .map(([name, server]) => ({
      name,
      server,
      raw: isJsonObject(server) && isJsonObject(server.env) ? server.env.MEMORY_FILE_PATH : undefined,
    }))
    .filter(
      (s): s is { name: string; server: unknown; raw: string } => typeof s.raw === 'string' && s.raw.trim() !== '',
    );
  const memoryFirst = [...withPath].sort((a, b) => Number(isMemoryServer(b)) - Number(isMemoryServer(a)));
  const chosen = memoryFirst[0];
  if (!chosen) return undefined;
  const expanded = expandVariables(chosen.raw.trim(), workspace);
  if (expanded === undefined) {
    warnings.push(
      `${mcpFile}: MEMORY_FILE_PATH ${chosen.raw} uses a variable the Orchestrator cannot expand; set \`memory:\` in .claude/orchestrator.yaml`,
    );
    return undefined;
  }
  // A teammate's absolute path from another system (C:\\…) stays as it is: not absolute here, so outside.
  if (!isAbsolute(expanded) && win32.isAbsolute(expanded)) return { path: expanded, raw: chosen.raw };
  return { path: isAbsolute(expanded) ? expanded : resolve(workspace, expanded), raw: chosen.raw };
}

function isMemoryServer(s: { name: string; server: unknown }): boolean {
  return /memory/i.test(s.name) || /server-memory|memory/i.test(JSON.stringify(s.server));
}

/** `${workspaceFolder}` and friends, `~`; undefined when a variable is left that we cannot know. */
function expandVariables(path: string, workspace: string): string | undefined {
  const expanded = path
    .replace(/\$\{(workspaceFolder|workspaceRoot)\}/g, workspace)
    .replace(/\$\{userHome\}/g, homedir())
    .replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => process.env[name] ?? whole)
    .replace(/^~(?=$|[\\/])/, homedir());
  return /\$\{[^}]*\}/.test(expanded) ? undefined : expanded;
}

/** Workspace-relative form of the absolute `path` when it (and what it links to) is inside the workspace. */
async function insideWorkspace(workspace: string, path: string): Promise<string | undefined> {
  const root = resolve(workspace);
  if (!isAbsolute(path)) return undefined;
  const within = (p: string, base: string): boolean => {
    const rel = relative(base, p);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  };
  if (!within(path, root)) return undefined;
  // A symlink inside the workspace may still lead out of it.
  const [realRoot, realFile] = await Promise.all([
    realpath(root).catch(() => root),
    realpath(path).catch(() => undefined),
  ]);
  if (realFile !== undefined && !within(realFile, realRoot)) return undefined;
  return relative(root, path).split(sep).join('/');
}

async function isFile(path: string): Promise<boolean> {
  // Mostly missing: no error made for that (its stack costs more than the lookup).
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 0x0a) line++;
  return line;
}
