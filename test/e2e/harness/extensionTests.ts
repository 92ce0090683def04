// Runs a mocha suite inside the real extension host of code-server, as VS Code's own web
// integration tests do: the workbench loads extensionDevelopmentPath + extensionTestsPath from
// the `payload` query and reports through window.codeAutomationLog / window.codeAutomationExit.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { format } from 'node:util';
import { launchBrowser } from './browser';
import { startCodeServer, type Payload } from './codeServer';
import { testOutputDir } from './paths';

export interface ExtensionTestsOptions {
  /** Folder with the extension's package.json. */
  extensionPath: string;
  /**
   * More extension folders, installed (copied into the extensions dir) beside it, e.g. the
   * scripted language-model provider of test/extension/fixtures. (Not development paths: the
   * web workbench keeps one extensionDevelopmentPath.)
   */
  extraExtensions?: string[];
  /** The compiled runner module exporting run() (out/test/extension/index.js). */
  testsPath: string;
  /** Folder opened in the workbench. */
  workspace: string;
  /** Reaches the extension host's process.env (extensionEnvironment). */
  env?: Record<string, string>;
  /** Whole run, from starting code-server to the runner's exit. Default 180 s (ORCH_E2E_TIMEOUT_MS). */
  timeoutMs?: number;
  userSettings?: Record<string, unknown>;
  /** See CodeServerOptions.trust; default true. */
  trust?: boolean;
  /** Where the extension host's log files go after the run; default test-output/extension-host-logs. */
  logsDir?: string;
}

type LogFile = { relativePath: string; contents: string };

/** The first line the runner (test/extension/index.ts) logs: from there on everything is printed. */
export const RUNNER_START_MARKER = '[extension-tests]';
/**
 * Workbench chatter of an offline machine, and the workbench's log of each failure a scripted
 * chat model plays (the suites assert what the extension made of it), hidden unless ORCH_E2E_VERBOSE=1.
 */
const OFFLINE_NOISE =
  /open-vsx\.org|authentication provider 'github'|\[CHAT\] extension request ERRORED|Error from tool orchestrator_/;

/** codeAutomationLog receives console-style arguments: [format, ...args]. */
function formatLog(message: unknown): string {
  if (Array.isArray(message)) return format(...(message as unknown[]));
  return typeof message === 'string' ? message : JSON.stringify(message);
}
const now = () => performance.now();
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Resolves with the runner's exit code: 0 when run() resolved, 1 otherwise (incl. timeout). */
export async function runExtensionTests(options: ExtensionTestsOptions): Promise<number> {
  const t0 = now();
  const timeoutMs = options.timeoutMs ?? Number(process.env.ORCH_E2E_TIMEOUT_MS ?? 180_000);
  const logsDir = options.logsDir ?? join(testOutputDir, 'extension-host-logs');
  const say = (s: string) => process.stdout.write(`[e2e] ${s}\n`);

  const server = await startCodeServer({
    workspace: options.workspace,
    trust: options.trust ?? true,
    userSettings: options.userSettings,
    copyExtensions: options.extraExtensions ?? [],
  });
  say(`code-server on ${server.origin} ready in ${secs(now() - t0)}`);
  const browser = await launchBrowser().catch(async (e: unknown) => {
    await server.stop();
    throw e;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const page = await browser.newPage();
    let finish!: (code: number) => void;
    const finished = new Promise<number>((r) => (finish = r));
    let runnerStart = 0;
    const verbose = process.env.ORCH_E2E_VERBOSE === '1';

    // Before the runner starts, only the workbench's errors are worth showing (an extension
    // that fails to activate, say); after it, everything is the suite's own output.
    await page.exposeFunction('codeAutomationLog', (type: string, message: unknown) => {
      const text = formatLog(message);
      if (!runnerStart && text.includes(RUNNER_START_MARKER)) runnerStart = now();
      const problem = type === 'error' || type === 'warn';
      if (!verbose && ((!runnerStart && !problem) || (problem && OFFLINE_NOISE.test(text)))) return;
      process.stdout.write(problem ? `[${type}] ${text}\n` : `${text}\n`);
    });
    await page.exposeFunction('codeAutomationExit', (code: number, logs: LogFile[] = []) => {
      try {
        rmSync(logsDir, { recursive: true, force: true });
        for (const f of logs ?? []) {
          const target = resolve(logsDir, f.relativePath);
          if (!target.startsWith(resolve(logsDir))) continue;
          mkdirSync(dirname(target), { recursive: true });
          writeFileSync(target, f.contents);
        }
      } catch (e) {
        say(`could not write the extension host logs: ${String(e)}`);
      }
      finish(code);
    });
    page.on('pageerror', (e) => {
      if (process.env.ORCH_E2E_VERBOSE === '1') say(`page error: ${e.message}`);
    });
    page.on('crash', () => {
      say('the page crashed');
      finish(1);
    });

    const payload: Payload = [
      ['extensionDevelopmentPath', server.remoteUri(options.extensionPath)],
      ['extensionTestsPath', server.remoteUri(options.testsPath)],
      ['extensionEnvironment', JSON.stringify(options.env ?? {})],
      ['skipWelcome', 'true'],
    ];
    const tLoad = now();
    await page.goto(server.url(payload), { waitUntil: 'domcontentloaded' });

    const timeout = new Promise<number>((r) => {
      timer = setTimeout(
        () => {
          say(
            `timed out after ${secs(timeoutMs)} (no codeAutomationExit); code-server said:\n${server.output().slice(-4000)}`,
          );
          r(1);
        },
        Math.max(1000, timeoutMs - (now() - t0)),
      );
    });
    const code = await Promise.race([finished, timeout]);
    const tEnd = now();
    say(
      `extension tests exited with ${code}: total ${secs(tEnd - t0)}` +
        (runnerStart
          ? `, page load to runner start ${secs(runnerStart - tLoad)}, suite ${secs(tEnd - runnerStart)}`
          : ''),
    );
    return code;
  } finally {
    if (timer) clearTimeout(timer);
    await browser.close().catch(() => undefined);
    await server.stop();
  }
}
