/**
 * `.claude/workspace.yaml` proposed for a parent folder from what its repositories say of each other:
 * a package.json depending on a sibling's package name (npm), a go.mod requiring a sibling's module
 * (go), a package script generating a client from a sibling's OpenAPI file (openapi). Nothing is
 * guessed from names alone: an edge is written only with the file and the words it came from.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { stringify } from 'yaml';
import { isJsonObject } from '../sources';
import { WORKSPACE_SCHEMA_MODELINE } from './workspaceJsonSchema';
import type { MemberUse } from './workspaceSchema';

interface Sibling {
  name: string;
  dir: string;
  /** The npm package it publishes. */
  npm?: string;
  npmUses: Map<string, string>;
  scripts: Record<string, string>;
  /** The Go module it is. */
  go?: string;
  goUses: Set<string>;
}

export interface WorkspaceProposal {
  members: string[];
  uses: (MemberUse & { from: string })[];
  /** The file's text, each edge with where it was read. */
  text: string;
}

/** The proposal for `parent`'s git repositories (its direct subfolders); undefined with fewer than two, or in a repository. */
export function proposeWorkspace(parent: string): WorkspaceProposal | undefined {
  // A repository is a member, not a parent of members (a folder above may be one: a home folder kept in git).
  if (existsSync(join(parent, '.git'))) return undefined;
  const siblings = readdirSync(parent, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && existsSync(join(parent, e.name, '.git')))
    .map((e) => sibling(join(parent, e.name), e.name))
    .sort((a, b) => a.name.localeCompare(b.name));
  if (siblings.length < 2) return undefined;
  return proposal(parent, siblings);
}

/**
 * The proposal for repositories anywhere under `root` (a VS Code multi-root workspace's folders,
 * folderWorkspace.ts), each named as given: the same edges as for a parent's subfolders.
 */
export function proposeForFolders(
  root: string,
  folders: readonly { name: string; dir: string }[],
): WorkspaceProposal | undefined {
  return folders.length < 2
    ? undefined
    : proposal(
        root,
        folders.map((f) => sibling(f.dir, f.name)),
      );
}

function proposal(root: string, siblings: Sibling[]): WorkspaceProposal {
  const uses: WorkspaceProposal['uses'] = [];
  for (const consumer of siblings)
    for (const producer of siblings) {
      if (producer === consumer) continue;
      if (producer.npm && consumer.npmUses.has(producer.npm))
        uses.push({
          consumer: consumer.name,
          producer: producer.name,
          via: 'npm',
          package: producer.npm,
          from: `${consumer.name}/package.json ${consumer.npmUses.get(producer.npm)}`,
        });
      if (producer.go && consumer.goUses.has(producer.go))
        uses.push({
          consumer: consumer.name,
          producer: producer.name,
          via: 'go',
          package: producer.go,
          from: `${consumer.name}/go.mod require`,
        });
      // The producer as the consumer's scripts reach it: `../service` for a sibling.
      const reach = relative(consumer.dir, producer.dir).split(sep).join('/');
      for (const [script, text] of Object.entries(consumer.scripts)) {
        const schema = openApiPath(text, reach);
        if (schema)
          uses.push({
            consumer: consumer.name,
            producer: producer.name,
            via: 'openapi',
            schema,
            generate: text.split(`${reach}/${schema}`).join('{schema}'),
            from: `${consumer.name}/package.json scripts.${script}`,
          });
      }
    }
  return { members: siblings.map((s) => s.name), uses, text: render(root, siblings, uses) };
}

/** `openapi-typescript ../service/openapi.yaml -o …`: the producer's schema file a script reads (`reach`: `../service`). */
function openApiPath(script: string, reach: string): string | undefined {
  const escaped = reach.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const found = new RegExp(`${escaped}/([\\w./-]*(?:openapi|swagger)[\\w./-]*\\.(?:ya?ml|json))`, 'i').exec(script);
  return found?.[1];
}

function sibling(dir: string, name: string): Sibling {
  const found: Sibling = { name, dir, npmUses: new Map(), scripts: {}, goUses: new Set() };
  const pkg = readJson(join(dir, 'package.json'));
  if (pkg) {
    if (typeof pkg.name === 'string') found.npm = pkg.name;
    for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'])
      for (const dep of Object.keys(record(pkg[field]))) found.npmUses.set(dep, field);
    for (const [script, text] of Object.entries(record(pkg.scripts)))
      if (typeof text === 'string') found.scripts[script] = text;
  }
  const mod = readText(join(dir, 'go.mod'));
  if (mod) {
    found.go = /^module\s+(\S+)/m.exec(mod)?.[1];
    // `require x v1` and the lines of a `require ( … )` block.
    for (const line of mod.split('\n')) {
      const req = /^\s*(?:require\s+)?([\w.-]+\.[\w.-]+\/\S+)\s+v\S+/.exec(line);
      if (req) found.goUses.add(req[1]!);
    }
  }
  return found;
}

function render(root: string, siblings: Sibling[], uses: WorkspaceProposal['uses']): string {
  const doc = {
    version: 1,
    repositories: Object.fromEntries(
      siblings.map((s) => [s.name, { path: relative(root, s.dir).split(sep).join('/') || '.' }]),
    ),
    uses: uses.map(({ from: _from, ...use }) => use),
  };
  const lines = stringify(doc, { lineWidth: 0 }).split('\n');
  // Each edge says where it was read, on its `- consumer:` line.
  let edge = 0;
  const text = lines.map((line) => (/^ {2}- consumer: /.test(line) ? `${line} # ${uses[edge++]!.from}` : line));
  return [
    `# ${WORKSPACE_SCHEMA_MODELINE}`,
    '# Written by `orchestrator init` from what these repositories say of each other (docs/changesets.md).',
    '# Edit freely: members (path on this machine, github: owner/name) and who uses whom.',
    ...text,
  ].join('\n');
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function readJson(path: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(readText(path) ?? '');
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

const record = (value: unknown): Record<string, unknown> => (isJsonObject(value) ? value : {});
