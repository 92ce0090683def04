/** `orchestrator mcp` and `orchestrator task …`: the task queue from the terminal. */
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline/promises';
import { engine, hostCheckout } from '../core/engineBundle';
import type { QueueService, TaskDetail } from '../core/queue';
import type * as McpBundle from '../mcp/serveMcp';
import type { CliArgs } from './args';
import { printTable } from './output';
import { err, out, outJson, visibleLine } from './terminal';

const VERSION = '0.1.0';

/** Serves until the signal: stdio for an MCP client that launched us, or HTTP on 127.0.0.1. */
export async function serveMcp(workspace: string, args: CliArgs, signal: AbortSignal): Promise<void> {
  const queue = await engine.openQueue(workspace, {
    trusted: true,
    say: (line) => err(`orchestrator: ${visibleLine(line)}\n`),
  });
  try {
    await mcpBundle().serveMcp(queue, {
      workspace,
      ...(args.http !== undefined ? { httpPort: Number(args.http) } : {}),
      version: VERSION,
      signal,
      say: (line) => err(`${line}\n`),
    });
  } finally {
    await queue.close();
  }
}

/** The MCP server is its own bundle (scripts/build.mjs: dist/mcp.js), loaded only by `orchestrator mcp`. */
function mcpBundle(): typeof McpBundle {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../mcp/serveMcp') as typeof McpBundle;
}

/** 0, or 1 when an approved artifact could not be applied (the reason is printed). */
export async function taskCommand(workspace: string, args: CliArgs): Promise<number> {
  const queue = await engine.openQueue(workspace, {
    trusted: true,
    say: (line) => err(`orchestrator: ${visibleLine(line)}\n`),
  });
  try {
    if (args.subcommand === 'add') {
      const task = await queue.createTask(
        {
          title: args.positional,
          description: args.description ?? '',
          ...(args.source ? { source: args.source } : {}),
        },
        'cli',
      );
      if (args.json) outJson(task);
      else out(`added ${task.id}: ${visibleLine(task.title)}\n`);
      return 0;
    }
    if (args.subcommand === 'list') {
      const tasks = await queue.listTasks(args.status);
      printTable(
        args.json,
        tasks.map((t) =>
          args.json
            ? t
            : {
                ...t,
                claimer: t.claimer
                  ? `${t.claimer}${t.leaseUntil && t.status !== 'review_pending' ? ` until ${t.leaseUntil}` : ''}`
                  : '',
              },
        ),
        ['id', 'status', 'claimer', 'source', 'title'],
      );
      return 0;
    }
    return await review(queue, args);
  } finally {
    await queue.close();
  }
}

async function review(queue: QueueService, args: CliArgs): Promise<number> {
  const id = args.positional ?? (await queue.listTasks('review_pending'))[0]?.id;
  if (!id) {
    out('nothing awaits review\n');
    return 0;
  }
  const detail = await queue.detail(id);
  const shown = detail.artifacts.filter((a) => !a.decision).at(-1);
  let verdict: 'approved' | 'rejected' | undefined = args.approve ? 'approved' : args.reject ? 'rejected' : undefined;
  let comment = args.comment;
  if (!args.json) out(describe(detail));
  if (!verdict) {
    if (!process.stdin.isTTY)
      throw Object.assign(new Error('task review needs --approve or --reject when not run in a terminal'), {
        code: 'E_USAGE',
      });
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
  // The decision names the artifact shown: one submitted meanwhile is not approved unseen.
  const outcome = await queue.review({
    taskId: id,
    ...(shown ? { artifactId: shown.id } : {}),
    verdict,
    reviewer: await reviewerName(),
    ...(comment ? { comment } : {}),
  });
  if (args.json) outJson(outcome);
  else if (outcome.refusal)
    out(
      `approved, but not applied: ${outcome.refusal}\n${outcome.task.id} is ${outcome.task.status} again; the claimer was told\n`,
    );
  else if (verdict === 'rejected')
    out(`rejected; ${outcome.task.id} is back with ${visibleLine(outcome.task.claimer ?? 'its claimer')}\n`);
  else
    out(
      `approved${outcome.files.length ? `; applied and validated: ${outcome.files.map(visibleLine).join(', ')}` : ''}; ${outcome.task.id} is ${outcome.task.status}\n`,
    );
  return outcome.refusal ? 1 : 0;
}

/**
 * The task as the reviewer reads it. Everything in it came from outside: names and titles are
 * shown on one line each, multi-line text indented under its header, and every control or
 * invisible character as an escape (terminal.ts), so what is approved is what was seen.
 */
function describe(task: TaskDetail): string {
  const artifact = task.artifacts.filter((a) => !a.decision).at(-1);
  // Split on \n only: a CR inside a line is content (shown as \r), not a line start.
  const indent = (text: string) =>
    text
      .split('\n')
      .map((line) => `    ${line}`)
      .join('\n');
  const lines = [
    `${task.id} · ${task.status} · ${visibleLine(task.title)}`,
    `claimed by ${visibleLine(task.claimer ?? 'nobody')}${task.layer ? ` · layer ${visibleLine(task.layer)}` : ''}`,
  ];
  if (task.description.trim()) lines.push('description:', indent(task.description));
  for (const message of task.messages)
    lines.push(`  ${message.at} ${visibleLine(message.author)}:`, indent(message.text));
  if (artifact) {
    lines.push(
      `artifact ${artifact.id} (${artifact.type}${artifact.path ? ` → ${visibleLine(artifact.path)}` : ''}) from ${visibleLine(artifact.submittedBy)}:`,
    );
    lines.push(
      artifact.type === 'screenshot'
        ? `    [PNG image, ${artifact.content.length} base64 characters]`
        : indent(artifact.content),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Who decides: git's user.name, else the OS account. */
export async function reviewerName(): Promise<string> {
  return (await hostCheckout.userName(process.cwd())) || userInfo().username;
}
