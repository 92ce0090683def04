// Shared fixtures for the agent runtime tests: temp workspaces, tree snapshots, tool contexts.
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { after, afterEach, before, beforeEach } from 'node:test';
import { madeBefore } from '../madeBefore';
import { dirname, join } from 'node:path';
import type { EngineEvent } from '../../../src/core/events';
import { WorkspaceGuard } from '../../../src/core/agents/guard/workspaceGuard';
import { FileLedger } from '../../../src/core/agents/loop/fileLedger';
import type { ToolContext, ToolOutcome } from '../../../src/core/agents/tools/toolTypes';
import { buildToolSet } from '../../../src/core/agents/tools/toolSet';
import { executeWorkCall, planCalls } from '../../../src/core/agents/loop/turnCalls';

export interface Sandbox {
  /** Temp folder holding `ws/` (the workspace) and `outside/` (must never change). */
  base: string;
  ws: string;
  outside: string;
  cleanup(): Promise<void>;
}

export async function makeSandbox(files: Record<string, string> = {}): Promise<Sandbox> {
  const base = await mkdtemp(join(tmpdir(), 'orch-agents-'));
  const ws = join(base, 'ws');
  const outside = join(base, 'outside');
  await mkdir(ws);
  await mkdir(outside);
  await writeFile(join(outside, 'secret.txt'), 'top secret\n');
  await writeFiles(ws, files);
  return { base, ws, outside, cleanup: () => rm(base, { recursive: true, force: true }) };
}

export async function writeFiles(root: string, files: Record<string, string>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, rel)), { recursive: true });
    await writeFile(join(root, rel), content);
  }
}

export async function link(target: string, at: string): Promise<void> {
  await mkdir(dirname(at), { recursive: true });
  await symlink(target, at);
}

/** Every entry under `root`: file contents, symlink targets and folders, to diff before/after. */
export async function snapshotTree(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (dir: string, prefix: string): Promise<void> => {
    for (const name of (await readdir(dir)).sort()) {
      const full = join(dir, name);
      const rel = prefix ? `${prefix}/${name}` : name;
      const info = await lstat(full);
      if (info.isSymbolicLink()) out[rel] = `link -> ${await readlink(full)}`;
      else if (info.isDirectory()) {
        out[rel] = 'dir';
        await walk(full, rel);
      } else out[rel] = `file ${info.mode.toString(8)}: ${await readFile(full, 'utf8')}`;
    }
  };
  await walk(root, '');
  return out;
}

export interface TestToolContext extends ToolContext {
  events: EngineEvent[];
  ledger: FileLedger;
}

export async function makeToolContext(workspace: string, owns: string[], agent = 'backend'): Promise<TestToolContext> {
  const events: EngineEvent[] = [];
  const ledger = new FileLedger();
  return {
    agent,
    guard: await WorkspaceGuard.create(workspace, owns),
    emit: (event) => events.push(event),
    recordChange: (change) => ledger.record(change),
    events,
    ledger,
  };
}

/** Runs one tool call exactly as the loop would: lookup, zod check, guard, execution. */
export async function invoke(ctx: ToolContext, owns: string[], name: string, input: unknown): Promise<ToolOutcome> {
  const tools = buildToolSet({ owns, finalTool: 'submit_result' });
  const [call] = planCalls([{ type: 'tool_call', id: 'toolu_1', name, input }], tools);
  if (!call) throw new Error('no call planned');
  if (call.kind === 'rejected') return { content: call.reason, isError: true };
  if (call.kind === 'final') return { content: 'accepted', isError: false };
  return executeWorkCall(call, ctx);
}

export interface ToolSandbox {
  readonly box: Sandbox;
  readonly ctx: TestToolContext;
  /** One tool call in the sandbox, by an agent owning the sandbox's `owns`. */
  call(name: string, input: unknown): Promise<ToolOutcome>;
}

/**
 * The test file's sandbox holding `files`, with a backend agent's tool context owning `owns`:
 * one for the whole file, or a fresh one for each test (`each`); `prepare` adds what files cannot
 * say (links, binary files) before the context is made. Read it inside tests.
 */
export function useToolSandbox(
  files: Record<string, string>,
  owns: string[],
  options: { each?: boolean; prepare?: (box: Sandbox) => Promise<void> } = {},
): ToolSandbox {
  let box: Sandbox | undefined;
  let ctx: TestToolContext | undefined;
  const [setUp, tearDown] = options.each ? [beforeEach, afterEach] : [before, after];
  setUp(async () => {
    box = await makeSandbox(files);
    await options.prepare?.(box);
    ctx = await makeToolContext(box.ws, owns);
  });
  tearDown(() => box?.cleanup());
  return {
    get box() {
      return madeBefore(box, 'the tool sandbox');
    },
    get ctx() {
      return madeBefore(ctx, 'the tool context');
    },
    call: (name, input) => invoke(madeBefore(ctx, 'the tool context'), owns, name, input),
  };
}
