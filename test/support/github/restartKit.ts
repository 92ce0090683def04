// `orchestrator serve` as a child process for the restart tests of the GitHub channel (issue 39):
// against the scripted GitHub API, the git server and the model server of the test's process,
// killed and started again by the test.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { postDelivery, type Delivery } from '../githubWebhooks';
import { TEST_KEYS } from '../modelServer';
import { buildCli } from '../cli/cliKit';
import type { AgentScript } from '../engine/agentScript';
import { githubRemote, ISSUE, SECRET, TOKEN } from './githubKit';

const CLI = join(__dirname, '../../../dist/cli.js');

export interface Serve {
  child: ChildProcess;
  output(): string;
  webhookUrl: Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The world of the channel's tests, but `serve` is a process of its own that the test kills and starts again. */
export async function restartWorld(agents: Record<string, AgentScript>, config?: (yaml: string) => string) {
  // Here, not in a hook of this module: a shard loads the module once for all the files that use it.
  buildCli();
  const remote = await githubRemote(agents, { alice: 'write' }, config ? { config } : {});
  const { h, api, bare, remoteHead } = remote;
  const serves: Serve[] = [];
  const serve = (): Serve => {
    const env = {
      ...process.env,
      NO_COLOR: '1',
      ANTHROPIC_API_KEY: TEST_KEYS.anthropic,
      ANTHROPIC_BASE_URL: h.api.url,
      GITHUB_TOKEN: TOKEN,
      GITHUB_WEBHOOK_SECRET: SECRET,
    };
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0'], {
      cwd: h.shop.dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let found: (url: string) => void;
    const webhookUrl = new Promise<string>((resolve) => (found = resolve));
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const url = /GitHub issues at (\S+)/.exec(output)?.[1];
      if (url) found(url);
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal })),
    );
    const started: Serve = { child, output: () => output, webhookUrl, exited };
    serves.push(started);
    return started;
  };
  const until = async <T>(what: string, test: () => T | undefined | false): Promise<T> => {
    for (let i = 0; i < 1200; i++) {
      const value = test();
      if (value !== undefined && value !== false) return value as T;
      await sleep(50);
    }
    throw new Error(`waited a minute for ${what}; serve said:\n${serves.map((s) => s.output()).join('\n---\n')}`);
  };
  /** Processes working anywhere in the test's folders (the shop, its worktrees): none once serve is gone. */
  const processesIn = (root: string) =>
    readdirSync('/proc')
      .filter((pid) => /^\d+$/.test(pid) && Number(pid) !== process.pid)
      .filter((pid) => {
        try {
          return readlinkSync(`/proc/${pid}/cwd`).startsWith(root);
        } catch {
          return false;
        }
      });
  return {
    h,
    api,
    bare,
    serve,
    until,
    remoteHead,
    /**
     * What still runs in the shop or its worktrees, once what an earlier serve killed with -9 left
     * behind has had a few seconds to see its parent gone and exit (its cleanup is not instant).
     */
    async processesIn(): Promise<string[]> {
      for (let waited = 0; waited < 10_000; waited += 250) {
        if (processesIn(dirname(h.shop.dir)).length === 0) return [];
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      return processesIn(dirname(h.shop.dir));
    },
    async deliver(to: Serve, delivery: Delivery) {
      return postDelivery(await to.webhookUrl, delivery);
    },
    async close() {
      for (const s of serves) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
      await Promise.all(serves.map((s) => s.exited));
      await remote.close();
    },
  };
}

export type RestartWorld = Awaited<ReturnType<typeof restartWorld>>;

export const specComments = (w: RestartWorld) =>
  w.api.commentsOn(ISSUE.number).filter((c) => c.body.includes('<!-- orchestrator:spec '));
export const resumedNotes = (w: RestartWorld) =>
  w.api.commentsOn(ISSUE.number).filter((c) => c.body.includes('was resumed after serve restarted'));

/**
 * The run's journal cut at its first `type` entry, `that` one kept or not: as if serve was killed right
 * there, before it journaled what came after (a window a loaded machine hits). Dropped and not there
 * yet (the kill came first, as on a loaded machine), the journal is already as wanted.
 */
export function cutJournalAt(w: RestartWorld, runId: string, type: string, that: 'kept' | 'dropped'): void {
  const path = `.claude/runs/${runId}/events.jsonl`;
  const events = w.h.shop.read(path).trim().split('\n');
  const at = events.findIndex((line) => (JSON.parse(line) as { type: string }).type === type);
  if (at === -1 && that === 'dropped') return;
  assert.ok(at !== -1, `no ${type} in the journal of ${runId}`);
  w.h.shop.write(path, `${events.slice(0, that === 'kept' ? at + 1 : at).join('\n')}\n`);
}
