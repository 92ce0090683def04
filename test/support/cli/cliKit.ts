// Spawns the built CLI (dist/cli.js, from `npm run build`) against a shop workspace and
// the Messages API test server.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startMessagesApiServer } from '../messagesApiServer';
import { pipelineScript, type AgentScript } from '../engine/agentScript';
import { makeShop, type ShopOptions } from '../engine/shopWorkspace';

export const ROOT = resolve(__dirname, '../../..');
export const CLI = join(ROOT, 'dist', 'cli.js');
/** Looks like a key to nobody's redaction pattern but must still never be printed. */
export const FAKE_KEY = 'test-key-0123456789abcdef';

let built = false;

/** Builds dist/ once per test process (a shard runs many files in one; the build is quick and idempotent). */
export function buildCli(): void {
  if (built) return;
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0 || !existsSync(CLI))
    throw new Error(`npm run build failed:\n${result.stdout}\n${result.stderr}`);
  built = true;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliRun {
  child: ChildProcess;
  done: Promise<CliResult>;
}

export function startCli(
  args: string[],
  options: { cwd: string; baseURL?: string; apiKey?: string | null; env?: Record<string, string> },
): CliRun {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...options.env };
  delete env.ANTHROPIC_API_KEY;
  delete env.ANTHROPIC_BASE_URL;
  if (options.apiKey !== null) env.ANTHROPIC_API_KEY = options.apiKey ?? FAKE_KEY;
  if (options.baseURL) env.ANTHROPIC_BASE_URL = options.baseURL;
  const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const done = new Promise<CliResult>((resolveDone) => {
    child.on('close', (code, signal) => resolveDone({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

export function runCli(
  args: string[],
  options: { cwd: string; baseURL?: string; apiKey?: string | null; env?: Record<string, string> },
): Promise<CliResult> {
  return startCli(args, options).done;
}

/** The single JSON line --json prints on stdout. */
export function jsonOf(result: CliResult): Record<string, unknown> {
  const lines = result.stdout.trim().split('\n');
  if (lines.length !== 1)
    throw new Error(`expected one JSON line on stdout, got:\n${result.stdout}\n--- stderr:\n${result.stderr}`);
  return JSON.parse(lines[0]!) as Record<string, unknown>;
}

export function journalTypes(dir: string, runId: string): { type: string; [key: string]: unknown }[] {
  const path = join(dir, '.claude', 'runs', runId, 'events.jsonl');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as { type: string }];
      } catch {
        return []; // a line being written right now
      }
    });
}

/** A shop workspace (git), the Messages API test server scripted per agent, and the CLI run in that workspace against it. */
export async function cliWorld(agents: Record<string, AgentScript>, shopOptions: ShopOptions = {}) {
  const shop = makeShop(shopOptions);
  const scripted = pipelineScript(agents);
  const api = await startMessagesApiServer(scripted.script);
  return {
    shop,
    api,
    ...scripted,
    cli: (...args: string[]) => runCli(args, { cwd: shop.dir, baseURL: api.url }),
    async close() {
      await api.close();
      shop.cleanup();
    },
  };
}
