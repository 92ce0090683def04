/** `orchestrator mcp` and `orchestrator task …`: the task queue from the terminal. */
import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline/promises';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import * as engine from '../core/engineBundle';
import type { TaskDetail } from '../core/queue/queueService';
import { serveHttp } from '../mcp/httpServer';
import { createQueueServer } from '../mcp/queueServer';
import { loadOrCreateToken, TOKEN_ENV } from '../mcp/token';
import type { CliArgs } from './args';
import { printTable } from './output';

const VERSION = '0.1.0';

/** Serves until the signal: stdio for an MCP client that launched us, or HTTP on 127.0.0.1. */
export async function serveMcp(workspace: string, args: CliArgs, signal: AbortSignal): Promise<void> {
  const queue = await engine.openQueue(workspace, { trusted: true });
  const say = (line: string) => process.stderr.write(`${line}\n`);
  try {
    if (args.http === undefined) {
      const server = createQueueServer(queue, VERSION);
      await server.connect(new StdioServerTransport());
      say(`orchestrator: the task queue of ${workspace} over MCP on stdio`);
      await new Promise<void>((resolve) => {
        signal.addEventListener('abort', () => resolve(), { once: true });
        process.stdin.once('end', () => resolve());
      });
      await server.close();
      return;
    }
    const { token, file } = loadOrCreateToken();
    const http = await serveHttp(Number(args.http), token, () => createQueueServer(queue, VERSION));
    const { port } = http.address() as { port: number };
    say(`orchestrator: the task queue of ${workspace} over MCP at http://127.0.0.1:${port}/mcp`);
    say(file ? `every request needs "Authorization: Bearer <token>"; the token is in ${file} (readable by you only)` : `every request needs "Authorization: Bearer <token>" with the token from ${TOKEN_ENV}`);
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    await new Promise<void>((resolve) => http.close(() => resolve()));
  } finally {
    await queue.close();
  }
}

/** 0, or 1 when an approved artifact could not be applied (the reason is printed). */
export async function taskCommand(workspace: string, args: CliArgs): Promise<number> {
  const queue = await engine.openQueue(workspace, { trusted: true });
  try {
    if (args.subcommand === 'add') {
      const task = await queue.createTask({ title: args.positional, description: args.description ?? '', ...(args.source ? { source: args.source } : {}) }, 'cli');
      if (args.json) process.stdout.write(`${JSON.stringify(task)}\n`);
      else process.stdout.write(`added ${task.id}: ${task.title}\n`);
      return 0;
    }
    if (args.subcommand === 'list') {
      const tasks = await queue.listTasks(args.status);
      printTable(args.json, tasks.map((t) => (args.json ? t : { ...t, claimer: t.claimer ? `${t.claimer}${t.leaseUntil && t.status !== 'review_pending' ? ` until ${t.leaseUntil}` : ''}` : '' })), ['id', 'status', 'claimer', 'source', 'title']);
      return 0;
    }
    return await review(queue, args);
  } finally {
    await queue.close();
  }
}

async function review(queue: Awaited<ReturnType<typeof engine.openQueue>>, args: CliArgs): Promise<number> {
  const id = args.positional ?? (await queue.listTasks('review_pending'))[0]?.id;
  if (!id) {
    process.stdout.write('nothing awaits review\n');
    return 0;
  }
  const detail = await queue.detail(id);
  let verdict: 'approved' | 'rejected' | undefined = args.approve ? 'approved' : args.reject ? 'rejected' : undefined;
  let comment = args.comment;
  if (!args.json) process.stdout.write(describe(detail));
  if (!verdict) {
    if (!process.stdin.isTTY) throw Object.assign(new Error('task review needs --approve or --reject when not run in a terminal'), { code: 'E_USAGE' });
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      const answer = (await rl.question('Approve (a), reject (r) or skip (s)? ')).trim().toLowerCase();
      if (answer.startsWith('a')) verdict = 'approved';
      else if (answer.startsWith('r')) {
        verdict = 'rejected';
        comment ??= (await rl.question('Why (sent to the claimer)? ')).trim();
      } else return 0;
    } finally {
      rl.close();
    }
  }
  const outcome = await queue.review(id, verdict, reviewerName(), comment);
  if (args.json) process.stdout.write(`${JSON.stringify(outcome)}\n`);
  else if (outcome.refusal) process.stdout.write(`approved, but not applied: ${outcome.refusal}\n${outcome.task.id} is ${outcome.task.status} again; the claimer was told\n`);
  else if (verdict === 'rejected') process.stdout.write(`rejected; ${outcome.task.id} is back with ${outcome.task.claimer ?? 'its claimer'}\n`);
  else process.stdout.write(`approved${outcome.files.length ? `; applied and validated: ${outcome.files.join(', ')}` : ''}; ${outcome.task.id} is ${outcome.task.status}\n`);
  return outcome.refusal ? 1 : 0;
}

function describe(task: TaskDetail): string {
  const artifact = task.artifacts.filter((a) => !a.decision).at(-1);
  const lines = [`${task.id} · ${task.status} · ${task.title}`, `claimed by ${task.claimer ?? 'nobody'}${task.layer ? ` · layer ${task.layer}` : ''}`];
  for (const message of task.messages) lines.push(`  ${message.at} ${message.author}: ${message.text}`);
  if (artifact) {
    lines.push(`artifact ${artifact.id} (${artifact.type}${artifact.path ? ` → ${artifact.path}` : ''}) from ${artifact.submittedBy}:`);
    lines.push(artifact.type === 'screenshot' ? `  [image, ${artifact.content.length} base64 characters]` : artifact.content.replace(/^/gm, '  '));
  }
  return `${lines.join('\n')}\n`;
}

/** Who decides: git's user.name, else the OS account. */
export function reviewerName(): string {
  try {
    const name = execFileSync('git', ['config', 'user.name'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (name) return name;
  } catch {
    // no git or no name configured
  }
  return userInfo().username;
}

