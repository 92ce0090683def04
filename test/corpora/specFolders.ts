// `npm run corpora`'s spec-folder half (issue 60): every Kiro, Spec Kit and Mustard folder of the
// real material (`<corpora>/realworld*/<owner>__<repo>/…`) imported and run to COMPLETE with
// `--yes` against a scripted model, one line per folder and a total.
//
//   node --import tsx test/corpora/specFolders.ts <corpora folder> [filter]
//
// The material holds the spec folders and not the code they were written for, so each folder's
// workspace is its repository's files plus an empty file for every path its tasks name (what a
// checkout would have or gain); `init` proposes the layers from that tree, as it would for the
// user. Judged per folder:
//   whole     every requirement id written in the folder's files is a requirement or criterion of
//             the imported spec, and every task line is a task, with its state
//   complete  the run ends `completed` (every wave, review and trace); a folder Mustard finished,
//             or one holding only a notebook, is refused by approve saying why, as the contract says
// The scripted model writes, for each layer's task, the files the task names (or one file of its
// own) and reports done; the reviewer approves; the gate's question about tasks nothing placed is
// answered "not implementable" for each, which approval records as not to be done. Proof and
// validate commands are off in these runs: the trees have no code to test (the census judge,
// census.mjs, judges the commands on the real repositories).
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import picomatch from 'picomatch';
import { parseDocument } from 'yaml';
import { engine } from '../../src/core/engine';
import { namedPaths } from '../../src/core/project/specs/specTasks';
import { startModelServer } from '../support/modelServer';
import type { AgentCall } from '../support/agentCalls';
import { pipelineScript } from '../support/engine/agentScript';
import { block, reply, type Scripted } from '../support/messagesApiServer';
import { TestHost } from '../support/engine/testHost';

const root = resolve(process.argv[2] ?? '../shared/corpora');
const filter = process.argv[3];
const templates = resolve(__dirname, '../../.claude');

interface Folder {
  corpus: string;
  repo: string;
  /** Workspace-relative. */
  dir: string;
  format: string;
}

/** Every spec folder the product itself lists in each repository of realworld*\/. */
async function foldersOf(repoDir: string, corpus: string, repo: string): Promise<Folder[]> {
  const specs = await engine.listSpecs(repoDir);
  return specs
    .filter((s) => s.foreign || s.mustard)
    .map((s) => ({ corpus, repo, dir: s.id, format: s.foreign?.format ?? 'mustard' }));
}

/**
 * What a folder's own files say it holds, read independently of the importers: requirement ids
 * written out (`**FR-001**`, a group heading's `(FR-100)`, Kiro's `### Requirement 7` as REQ-7),
 * and every task line's id with whether it is ticked.
 */
function sourceFacts(dir: string): { ids: Set<string>; tasks: Map<string, boolean> } {
  const ids = new Set<string>();
  const read = (name: string) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : '');
  for (const text of [read('requirements.md'), read('bugfix.md'), read('spec.md')]) {
    for (const m of text.matchAll(/\*\*((?:FR|NFR|RF|SC)-\d+[a-z]?(?:\.\d+[a-z]?)*)\*\*/g)) ids.add(m[1]!);
    for (const m of text.matchAll(/^#{2,6} [^\n]*\(((?:FR|NFR|RF)-\d+[a-z]?)\)\s*$/gm)) ids.add(m[1]!);
    for (const m of text.matchAll(/^#{2,4} Requirement (\d+[a-z]?)\b/gm)) ids.add(`REQ-${m[1]}`);
  }
  const tasks = new Map<string, boolean>();
  for (const m of read('tasks.md').matchAll(/^\s*[-*] \[([ xX])\]\*? +\**((?:T\d+[a-z]?)|(?:\d+(?:\.\d+)+))\b/gm))
    tasks.set(m[2]!, m[1] !== ' ');
  return { ids, tasks };
}

/** What of the folder the imported spec lost: requirement ids, tasks, or a ticked task's state. */
function lostIn(specText: string, facts: ReturnType<typeof sourceFacts>): string[] {
  const idHere = (id: string) =>
    new RegExp(`(^|[^A-Za-z0-9.-])${id.replace(/\./g, '\\.')}(?![0-9a-z])`, 'm').test(specText);
  const lines = specText.split('\n');
  const lost = [...facts.ids].filter((id) => !idHere(id)).map((id) => `requirement ${id}`);
  for (const [id, done] of facts.tasks) {
    const line = lines.find((l) => new RegExp(`\\] ${id.replace(/\./g, '\\.')}[ :.]`).test(l));
    if (!line) lost.push(`task ${id}`);
    else if (done && !line.includes('[x]')) lost.push(`task ${id}'s tick`);
  }
  return lost;
}

const sh = (cwd: string, ...args: string[]) => spawnSync('git', args, { cwd, encoding: 'utf8' });

/** The folder's repository files, an empty file for every path its documents name, one commit. */
function workspaceFor(repoDir: string, folderDir: string): string {
  const ws = mkdtempSync(join(tmpdir(), 'orch-corpora-'));
  cpSync(repoDir, ws, { recursive: true });
  const text = readdirSync(join(ws, folderDir))
    .filter((n) => n.endsWith('.md') || n.endsWith('.json'))
    .map((n) => readFileSync(join(ws, folderDir, n), 'utf8'))
    .join('\n');
  for (const path of namedPaths(text)) {
    const clean = path.replace(/^\.?\//, '').replace(/[:#].*$/, '');
    // Files only (a path with a folder and an extension): a word with a slash and no extension is as often prose (`input/output`) as a folder.
    if (
      !/\/[^/]*\.[A-Za-z0-9]+$/.test(clean) ||
      clean.includes('..') ||
      clean.includes('*') ||
      /^[a-z]+:/i.test(clean) ||
      clean.startsWith('.claude') ||
      clean.startsWith('.git')
    )
      continue;
    const target = join(ws, clean);
    if (existsSync(target)) continue;
    try {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, '');
    } catch {
      // A name the file system refuses (a folder named like a file already made): skip it.
    }
  }
  sh(ws, 'init', '-q', '-b', 'main');
  sh(ws, 'add', '-A');
  sh(
    ws,
    '-c',
    'user.name=corpora',
    '-c',
    'user.email=corpora@example.invalid',
    'commit',
    '-qm',
    'the material',
    '--no-verify',
  );
  return ws;
}

/** The scripted model: each layer writes the files its task names, the reviewer approves, the layer-pick call places nothing. */
function scriptedAgents(): Record<string, (call: AgentCall) => Scripted> {
  const layer = (call: AgentCall): Scripted => {
    if (call.turn > 0)
      return reply.toolUse('submit_result', { status: 'done', summary: 'Wrote the files my tasks name.' });
    // What the layer owns, from its system prompt ("You own: a/**, b/**."): the files its tasks name there, else one file of its own.
    const system =
      typeof call.req.body.system === 'string'
        ? call.req.body.system
        : (call.req.body.system ?? []).map((b) => b.text).join('\n');
    const owns = (/You own: (.*?)\.(?:\n|$)/.exec(system)?.[1] ?? '')
      .split(', ')
      .filter((g) => g && !g.startsWith('('));
    const mine = picomatch(owns.length > 0 ? owns : ['**'], { dot: true });
    const named = namedPaths(call.task).filter(
      (p) => /\/[^/]*\.[A-Za-z0-9]+$/.test(p) && !p.includes('*') && !p.includes('..') && mine(p),
    );
    const base = owns.map((g) => picomatch.scan(g).base).find((b) => b !== '') ?? 'src';
    const files = [...new Set(named.length > 0 ? named : [`${base}/corpora_${call.agent}.txt`])].slice(0, 40);
    return reply.turn(
      files.map((path) =>
        block.toolUse('write_file', {
          path,
          content: `// ${path}: written by the scripted model of npm run corpora\n`,
        }),
      ),
    );
  };
  return new Proxy({} as Record<string, (call: AgentCall) => Scripted>, {
    get: (_t, agent: string) => {
      if (agent === 'review') return () => reply.toolUse('submit_review', { verdict: 'approved', issues: [] });
      // The gate's one question about tasks nothing placed: recorded as not to be done (a real model may place some).
      if (agent === 'layers')
        return (call: AgentCall) => {
          const asked = (/## TASKS TO PLACE\n([^\n]*)/.exec(call.task)?.[1] ?? '').split(', ').filter(Boolean);
          return reply.toolUse('propose_layers', {
            proposals: asked.map((task) => ({
              task,
              layer: 'not-implementable',
              reason: 'the scripted model of npm run corpora places nothing',
            })),
          });
        };
      return layer;
    },
  });
}

/**
 * The config init wrote, set for these runs: the scripted model, no proof, no validate commands (the
 * snapshots hold no code to check), so the runs accept ending unchecked as a user may (`allowUnchecked`).
 */
function quietConfig(ws: string): void {
  const file = join(ws, '.claude/orchestrator.yaml');
  const doc = parseDocument(readFileSync(file, 'utf8'));
  doc.setIn(['proof'], doc.createNode({ mode: 'off' }));
  const layers = doc.getIn(['layers']) as { items?: { key: { value: string } }[] } | undefined;
  for (const item of layers?.items ?? []) doc.setIn(['layers', item.key.value, 'validate'], doc.createNode([]));
  doc.setIn(['review', 'skipIfFilesChangedAtMost'], 0);
  doc.setIn(['allowUnchecked'], true);
  writeFileSync(file, doc.toString());
  sh(ws, 'add', '-A');
  sh(
    ws,
    '-c',
    'user.name=corpora',
    '-c',
    'user.email=corpora@example.invalid',
    'commit',
    '-qm',
    'config',
    '--no-verify',
  );
}

async function runFolder(folder: Folder, repoDir: string): Promise<{ ok: boolean; line: string }> {
  const ws = workspaceFor(repoDir, folder.dir);
  const started = Date.now();
  const { script } = pipelineScript(scriptedAgents());
  const api = await startModelServer('anthropic', script);
  try {
    await engine.initWorkspace(ws, templates, { verify: false, trusted: true });
    quietConfig(ws);
    const facts = sourceFacts(join(ws, folder.dir));
    const summary = await engine.approveSpec(folder.dir, {
      workspace: ws,
      host: new TestHost(),
      baseURL: api.url,
      autoApprove: true,
      assumeYes: true,
    });
    // A completed run has archived its spec: active/ → completed/.
    const specFile = [summary.specPath, summary.specPath?.replace('/active/', '/completed/')]
      .map((p) => (p ? join(ws, p) : ''))
      .find((p) => p && existsSync(p));
    const specText = specFile ? readFileSync(specFile, 'utf8') : '';
    const missing = lostIn(specText, facts);
    const whole = missing.length === 0;
    const complete = summary.status === 'completed';
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    const why = [
      ...(whole
        ? []
        : [
            `lost ${missing.length} of ${facts.ids.size} requirement ids and ${facts.tasks.size} tasks (${missing.slice(0, 4).join(', ')}${missing.length > 4 ? ', …' : ''})`,
          ]),
      ...(complete ? [] : [`${summary.status}: ${(summary.error ?? '').split('\n')[0]?.slice(0, 200)}`]),
    ];
    const name = `${folder.corpus}/${folder.repo}/${folder.dir}`;
    return {
      ok: whole && complete,
      line: `${whole && complete ? 'pass' : 'FAIL'} ${name} (${folder.format}, ${secs} s)${why.length ? `: ${why.join('; ')}` : ''}`,
    };
  } catch (e) {
    const message = (e as Error).message.split('\n')[0] ?? '';
    // The contract: approve refuses a folder Mustard finished, or one holding only a notebook, saying why.
    const refused = folder.format === 'mustard' && /is finished in Mustard|there is nothing to implement/.test(message);
    return {
      ok: refused,
      line: `${refused ? 'pass' : 'FAIL'} ${folder.corpus}/${folder.repo}/${folder.dir}${refused ? ' (mustard, refused as the contract says)' : ''}: ${message}`,
    };
  } finally {
    await api.close();
    if (process.env.CORPORA_KEEP) process.stdout.write(`  kept ${ws}\n`);
    else rmSync(ws, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const corpora = readdirSync(root).filter((n) => n.startsWith('realworld') && statSync(join(root, n)).isDirectory());
  let passed = 0;
  let total = 0;
  for (const corpus of corpora) {
    for (const repo of readdirSync(join(root, corpus)).sort()) {
      const repoDir = join(root, corpus, repo);
      if (!statSync(repoDir).isDirectory()) continue;
      for (const folder of await foldersOf(repoDir, corpus, repo)) {
        if (filter && !`${corpus}/${repo}/${folder.dir}`.includes(filter)) continue;
        const result = await runFolder(folder, repoDir);
        total += 1;
        if (result.ok) passed += 1;
        process.stdout.write(`${result.line}\n`);
      }
    }
  }
  process.stdout.write(`${passed}/${total} spec folders imported whole and run to COMPLETE\n`);
  process.exitCode = passed === total ? 0 : 1;
}

void main();
