/**
 * `orchestrator init` shows its proposal within 2 s (issue 70): the time from starting the built CLI
 * (dist/cli.js, as a user runs it) to the proposal's first line on stderr, before any command runs,
 * on a git copy of examples/shop and of the largest repository of ../shared/corpora (when it is
 * beside the clone). The process is then stopped with Ctrl-C (SIGINT), which keeps what was verified.
 */
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { median, spread } from '../support/stats';
import type { BenchCase, BenchRow } from '../types';

const ROOT = resolve(__dirname, '../..');
const RUNS = 5;
const TARGET_MS = 2000;

/** The corpora's repository with the most files (each is a snapshot: every path, code as empty files). */
function largestCorpus(): { name: string; dir: string } | undefined {
  const corpora = resolve(ROOT, '../shared/corpora');
  if (!existsSync(corpora)) return undefined;
  let best: { name: string; dir: string; files: number } | undefined;
  for (const part of readdirSync(corpora).filter((p) => p.startsWith('realrepos'))) {
    for (const name of readdirSync(join(corpora, part))) {
      const dir = join(corpora, part, name);
      if (!statSync(dir).isDirectory()) continue;
      const files = Number(execFileSync('find', [dir, '-type', 'f'], { encoding: 'utf8' }).split('\n').length);
      if (!best || files > best.files) best = { name, dir, files };
    }
  }
  return best;
}

/** A git copy of `source` in a temporary folder. */
function gitCopy(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'orchestrator-bench-init-'));
  cpSync(source, dir, { recursive: true, filter: (src) => !/[\\/](node_modules|\.git)([\\/]|$)/.test(src) });
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', ...args], { cwd: dir });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'snapshot');
  return dir;
}

/** Milliseconds from the CLI's start to the proposal's first line; the run is then stopped with Ctrl-C. */
function toProposal(dir: string): Promise<number> {
  return new Promise((resolveMs, reject) => {
    rmSync(join(dir, '.claude/orchestrator.yaml'), { force: true });
    const started = performance.now();
    const child = spawn(process.execPath, [join(ROOT, 'dist/cli.js'), 'init', '--force', '--workspace', dir], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    let ms: number | undefined;
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      if (ms === undefined && /^Census: /m.test(err)) {
        ms = performance.now() - started;
        child.kill('SIGINT');
      }
    });
    child.on('error', reject);
    child.on('close', () => (ms === undefined ? reject(new Error(`no proposal:\n${err}`)) : resolveMs(ms)));
  });
}

export default {
  title: "init's proposal on screen",
  order: 45,
  async run(ctx) {
    const rows: BenchRow[] = [];
    const corpus = largestCorpus();
    const repos = [
      { name: 'examples/shop', dir: join(ROOT, 'examples/shop') },
      ...(corpus ? [{ name: `${corpus.name} (the largest of ../shared/corpora)`, dir: corpus.dir }] : []),
    ];
    for (const repo of repos) {
      const dir = gitCopy(repo.dir);
      ctx.onCleanup(() => rmSync(dir, { recursive: true, force: true }));
      const files = execFileSync('git', ['ls-files'], { cwd: dir, encoding: 'utf8' }).split('\n').length - 1;
      ctx.log(`init's proposal: ${repo.name} (${files} files)`);
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) times.push(await toProposal(dir));
      const ms = median(times);
      rows.push({
        name: `\`orchestrator init\` to its proposal on stderr, ${repo.name}, ${files} files (median of ${RUNS})`,
        value: Number(ms.toFixed(0)),
        unit: 'ms',
        target: `≤ ${TARGET_MS} ms`,
        pass: ms <= TARGET_MS,
        note: `dist/cli.js started as a user runs it, timed to the proposal's first line (the census done, before any command runs), then Ctrl-C; ${spread(times)}.`,
      });
    }
    return rows;
  },
} satisfies BenchCase;
