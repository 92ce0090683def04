/**
 * The extension-host test sessions behind `npm run test:extension` (test/e2e/run-extension-tests.ts).
 * One code-server page load each, in two lanes at once (LANES; ~2 GB each with Chromium):
 *
 *   main        suite/*.test.ts           workspace trusted; a fresh git copy of examples/shop
 *   restricted  suite/restricted/**       workspace trust ON and the folder not trusted
 *                                         (Restricted Mode); the shop's sync and validate
 *                                         commands leave a mark if anything runs them
 *   chat        suite/chat/**             workspace trusted, the Chat view on (`chat.disableAIFeatures`
 *                                         false) with the scripted language models, so `@orchestrator`
 *                                         and the language model tools run for real (issue 38); a
 *                                         private PostgreSQL for the pool (ORCH_TEST_PG_URL)
 *   multiroot   suite/multiroot/**        a multi-root workspace (a `.code-workspace` file): the shop's
 *                                         copy and a sibling repository it uses (api, `via: npm`),
 *                                         no `.claude/workspace.yaml`: New Feature across them (issue 73)
 *   vsix        suite/vsix/**             `npm run release`'s .vsix installed offline with
 *                                         code-server's CLI; the installed folder is the
 *                                         extension under test, its files checked against the
 *                                         release's `vsix` list (ORCH_TEST_VSIX_LIST)
 *
 * Every session gets the scripted Messages API test server through extensionEnvironment:
 * ANTHROPIC_BASE_URL, ANTHROPIC_API_KEY (a random test key), ORCH_TEST_API_CONTROL. The main
 * session also installs the scripted language-model provider (test/extension/fixtures/scripted-lm,
 * built to out/test/fixtures/) beside the extension under test: the editor's models that
 * `vscode-lm:` runs use.
 *
 * Knobs: ORCH_TEST_SESSIONS=main,restricted,chat,vsix (default all), ORCH_TEST_GREP,
 * ORCH_TEST_WORKSPACE (a folder to copy instead of examples/shop), ORCH_E2E_TIMEOUT_MS.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { initAndCommit } from '../../../bench/support/git';
import { runExtensionTests } from '../../e2e/harness/extensionTests';
import { freshDatabase, startPostgres, type Postgres } from '../../support/postgres';
import { repoRoot, scriptedLmExtension, testOutputDir } from '../../e2e/harness/paths';
import { startScriptedApi, type ScriptedApi } from './scriptedApi';

export const SHOP = join(repoRoot, 'examples', 'shop');
const SESSIONS = ['main', 'restricted', 'chat', 'multiroot', 'vsix'] as const;
type SessionName = (typeof SESSIONS)[number];
/** The sessions in two lanes of about the same length (on a slow machine main and multiroot ~280 s; restricted, chat and vsix ~270 s). */
const LANES: SessionName[][] = [
  ['main', 'multiroot'],
  ['restricted', 'chat', 'vsix'],
];

interface Result {
  passes: number;
  failures: number;
  pending: number;
  failed: string[];
}

const say = (s: string) => process.stdout.write(`[e2e] ${s}\n`);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** A fresh copy of `source` (examples/shop by default) as a git repository with one commit. */
export function makeWorkspace(source: string, tweak?: (dir: string) => void): { dir: string; cleanup(): void } {
  const base = mkdtempSync(join(tmpdir(), 'orch-ext-ws-'));
  const dir = join(base, 'shop');
  const cleanup = () => rmSync(base, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  try {
    cpSync(source, dir, {
      recursive: true,
      filter: (src) => !/[\\/](node_modules|\.git|runs)([\\/]|$)/.test(src.slice(source.length)),
    });
    tweak?.(dir);
    initAndCommit(dir, 'workspace under test');
  } catch (e) {
    cleanup();
    throw e;
  }
  return { dir, cleanup };
}

/** The multi-root session's shop depends on the api's package. */
function usesApi(dir: string): void {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ ...pkg, dependencies: { 'acme-api': 'file:../api' } }, null, 2)}\n`,
  );
}

/**
 * The multi-root session's window: beside the shop's copy a repository it uses (api), both named
 * by a `.code-workspace` in their parent folder.
 */
function multiRoot(shop: string): string {
  const base = dirname(shop);
  const api = join(base, 'api');
  mkdirSync(join(api, '.claude'), { recursive: true });
  writeFileSync(join(api, 'package.json'), '{ "name": "acme-api", "version": "1.0.0" }\n');
  writeFileSync(join(api, '.claude', 'orchestrator.yaml'), 'layers:\n  api:\n    owns: ["src/**"]\n');
  initAndCommit(api, 'api');
  const file = join(base, 'shop-and-api.code-workspace');
  writeFileSync(file, JSON.stringify({ folders: [{ path: 'shop' }, { path: 'api' }] }, null, 2));
  return file;
}

/** The file the restricted workspace's commands append to when something runs them. */
export const RAN_LOG = '.claude/commands-ran.log';

/**
 * Prefixes every sync and validate command of .claude/orchestrator.yaml with a command that
 * appends to RAN_LOG: in Restricted Mode that file must never appear.
 */
function markCommands(dir: string): void {
  writeFileSync(
    join(dir, '.claude', 'scripts', 'mark-ran.js'),
    `require('node:fs').appendFileSync(${JSON.stringify(RAN_LOG)}, process.argv.slice(2).join(' ') + '\\n');\n`,
  );
  const file = join(dir, '.claude', 'orchestrator.yaml');
  const yaml = readFileSync(file, 'utf8');
  const marked = yaml
    .replace(/^(\s*validate:\s*\[)/gm, '$1"node .claude/scripts/mark-ran.js validate", ')
    .replace(/^(sync:\s*\[)/m, '$1"node .claude/scripts/mark-ran.js sync", ');
  if ((marked.match(/mark-ran\.js/g) ?? []).length < 4)
    throw new Error('could not instrument the sync and validate commands of the restricted workspace');
  writeFileSync(file, marked);
}

function readResult(file: string): Result | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as Result;
}

/**
 * `npm run release` into a temporary folder, its .vsix installed there offline; resolves with the
 * installed extension folder and the release's lists. A child process the runner does not wait on:
 * started with the tier, it builds while the other sessions run (spawnSync stalled the other
 * lane's harness for the release's 25 s).
 */
function packagedExtension(scratch: string): Promise<{ installed: string; lists: string }> {
  const release = join(scratch, 'release');
  const extensions = join(scratch, 'extensions');
  mkdirSync(extensions, { recursive: true });
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [join(repoRoot, 'scripts', 'release.mjs'), '--out', release, '--install-vsix-to', extensions],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', (status) => {
      if (status !== 0) return fail(new Error(`scripts/release.mjs failed (${status}):\n${output}`));
      const installed = /installed into (\S+)/.exec(output)?.[1];
      if (!installed || !existsSync(join(installed, 'package.json')))
        return fail(new Error(`release.mjs did not report the installed folder:\n${output}`));
      say(`vsix: released and installed offline in ${secs(performance.now() - t0)} -> ${installed}`);
      done({ installed, lists: join(release, 'artifacts.json') });
    });
  });
}

async function runSession(
  name: SessionName,
  extensionPath: string,
  api: ScriptedApi,
  envKey: string,
  packaging: Promise<{ installed: string; lists: string }> | undefined,
): Promise<{ code: number; result?: Result }> {
  const source = process.env.ORCH_TEST_WORKSPACE ? resolve(process.env.ORCH_TEST_WORKSPACE) : SHOP;
  const scratch = mkdtempSync(join(tmpdir(), `orch-ext-${name}-`));
  const ws = makeWorkspace(source, name === 'restricted' ? markCommands : name === 'multiroot' ? usesApi : undefined);
  const resultFile = join(scratch, 'result.json');
  let pg: Postgres | undefined;
  try {
    // What the window opens: the copy, or for multiroot a `.code-workspace` naming it and its sibling.
    const opened = name === 'multiroot' ? multiRoot(ws.dir) : ws.dir;
    const packaged = name === 'vsix' ? await packaging : undefined;
    const extension = packaged?.installed ?? extensionPath;
    const env: Record<string, string> = {
      ORCH_TEST_SUITE: name,
      ORCH_TEST_RESULT_FILE: resultFile,
      ORCH_TEST_WORKSPACE: ws.dir,
      ORCH_TEST_OUTPUT: testOutputDir,
      ORCH_TEST_API_CONTROL: api.controlUrl,
      ORCH_TEST_RAN_LOG: RAN_LOG,
      ANTHROPIC_BASE_URL: api.url,
      ANTHROPIC_API_KEY: envKey,
    };
    if (process.env.ORCH_TEST_GREP) env.ORCH_TEST_GREP = process.env.ORCH_TEST_GREP;
    if (packaged) env.ORCH_TEST_VSIX_LIST = packaged.lists;
    // The chat's runs with `runs.dispatch: pool` go to a real pool (suite/chat/03-chatPool).
    if (name === 'chat') {
      pg = await startPostgres();
      env.ORCH_TEST_PG_URL = await freshDatabase(pg, 'chat_pool');
    }
    say(
      `session ${name}: extension ${extension}, workspace ${ws.dir}, trust ${name === 'restricted' ? 'not granted (Restricted Mode)' : 'granted'}`,
    );
    const code = await runExtensionTests({
      extensionPath: extension,
      extraExtensions: name === 'main' || name === 'chat' ? [scriptedLmExtension] : [],
      ...(name === 'chat' ? { userSettings: { 'chat.disableAIFeatures': false } } : {}),
      testsPath: join(repoRoot, 'out', 'test', 'extension', 'index.js'),
      workspace: opened,
      env,
      trust: name !== 'restricted',
      // A guard against a hung workbench, not a time goal: the main session takes 270 s on a slow
      // machine with nothing else running, and a session cut short reports none of its tests.
      timeoutMs: Number(process.env.ORCH_E2E_TIMEOUT_MS ?? 600_000),
      logsDir: join(testOutputDir, 'extension-host-logs', name),
    });
    return { code, result: readResult(resultFile) };
  } finally {
    pg?.stop();
    ws.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Runs the wanted sessions; resolves with the exit code (0 only when every session passed). */
export async function runSessions(extensionPath: string): Promise<number> {
  const testsPath = join(repoRoot, 'out', 'test', 'extension', 'index.js');
  for (const built of [testsPath, join(scriptedLmExtension, 'extension.js')]) {
    if (!existsSync(built)) throw new Error(`${built} missing: run node scripts/e2e/build-tests.mjs`);
  }
  const wanted = (process.env.ORCH_TEST_SESSIONS ?? SESSIONS.join(','))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = wanted.filter((s) => !(SESSIONS as readonly string[]).includes(s));
  if (unknown.length > 0)
    throw new Error(`ORCH_TEST_SESSIONS: unknown session(s) ${unknown.join(', ')} (known: ${SESSIONS.join(', ')})`);

  const t0 = performance.now();
  // The release the vsix session installs, built from the start beside the other sessions.
  const releaseScratch = wanted.includes('vsix') ? mkdtempSync(join(tmpdir(), 'orch-ext-vsix-')) : undefined;
  const packaging = releaseScratch ? packagedExtension(releaseScratch) : undefined;
  packaging?.catch(() => undefined); // its failure is the vsix session's, said there
  const envKey = `orch-env-key-${randomBytes(12).toString('hex')}`;
  const total: Result = { passes: 0, failures: 0, pending: 0, failed: [] };
  let exit = 0;
  /** One session's outcome added to the total (a session that could not run counts as a failure). */
  const count = (name: SessionName, code: number, result: Result | undefined): void => {
    if (!result) {
      say(`session ${name}: the runner wrote no result (a suite failed to load, or the run timed out)`);
      total.failures += 1;
      total.failed.push(`[${name}] the session did not run to the end`);
    } else {
      total.passes += result.passes;
      total.failures += result.failures;
      total.pending += result.pending;
      total.failed.push(...result.failed.map((f) => `[${name}] ${f}`));
    }
    if (code !== 0 || !result) exit = 1;
  };
  // A lane runs its sessions one after another on a scripted API of its own (the suites pick its
  // scenarios through ORCH_TEST_API_CONTROL); the lanes run at once: a session waits on its
  // model and its workbench often enough that two keep both cores busier than one.
  const lanes = LANES.map((lane) => lane.filter((s) => wanted.includes(s))).filter((lane) => lane.length > 0);
  await Promise.all(
    lanes.map(async (lane) => {
      const api = await startScriptedApi(SHOP);
      try {
        for (const name of lane) {
          const t = performance.now();
          let code = 1;
          let result: Result | undefined;
          try {
            ({ code, result } = await runSession(name, extensionPath, api, envKey, packaging));
          } catch (e) {
            say(`session ${name} could not run: ${e instanceof Error ? e.message : String(e)}`);
          }
          count(name, code, result);
          say(
            `session ${name}: exit ${code}, ${result ? `${result.passes} passed, ${result.failures} failed` : 'no result'} in ${secs(performance.now() - t)}`,
          );
        }
      } finally {
        await api.close();
      }
    }),
  );
  await packaging?.catch(() => undefined);
  if (releaseScratch) rmSync(releaseScratch, { recursive: true, force: true });
  for (const t of total.failed) say(`FAILED: ${t}`);
  console.log(
    `extension (${wanted.join(' + ')}): ${total.passes} passed, ${total.failures} failed${total.pending ? `, ${total.pending} skipped` : ''} in ${secs(performance.now() - t0)}`,
  );
  return exit;
}
