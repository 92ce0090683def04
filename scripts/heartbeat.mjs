// A progress line at least every 10 s while a long step of the setup or of `npm start` runs
// (issue 71: the first start spent 173 s installing code-server without a word):
//
//   [e2e:install] npm install code-server: 40 s, 212 MB of about 620 MB (3,514 files) in .cache/e2e/code-server
//
// Elapsed time always; the size of the folder the step fills when it has one (and of about how
// much, when known). Node built-ins only: it runs before anything is installed.
//
//   node scripts/heartbeat.mjs [--tag T] [--what "what"] [--watch DIR] [--about BYTES] -- <command> [args...]
//
// runs the command with its output as it comes and says the step's line meanwhile; exits with its
// status. ORCH_HEARTBEAT_MS changes the 10 s (the tests' shorter beat).
import { spawn } from 'node:child_process';
import { lstat, readdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { clearInterval, setInterval } from 'node:timers';

export const HEARTBEAT_MS = Number(process.env.ORCH_HEARTBEAT_MS ?? 10_000);

/** Bytes and files under `dir` (symlinks not followed); undefined while it does not exist. */
export async function folderSize(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => undefined);
  if (!entries) return undefined;
  const files = entries.filter((entry) => entry.isFile());
  let bytes = 0;
  for (let i = 0; i < files.length; i += 512) {
    const stats = await Promise.all(
      files.slice(i, i + 512).map((entry) => lstat(join(entry.parentPath, entry.name)).catch(() => undefined)),
    );
    for (const stat of stats) bytes += stat?.size ?? 0;
  }
  return { bytes, files: files.length };
}

const mb = (bytes) => `${Math.round(bytes / 1_000_000)} MB`;

/** The progress line: what, how long, and how far the watched folder has got. */
export function progressLine({ tag, what, ms, size, watch, about }) {
  const far = size
    ? `, ${mb(size.bytes)}${about ? ` of about ${mb(about)}` : ''} (${size.files.toLocaleString('en')} files) in ${relative(process.cwd(), watch) || watch}`
    : '';
  return `[${tag}] ${what}: ${Math.round(ms / 1000)} s${far}\n`;
}

/**
 * Says `progressLine` every `every` ms until the returned function is called (which says nothing
 * more, even of a beat under way). On stderr: a step's own output may go elsewhere (`>/dev/null`).
 */
export function heartbeat({
  tag,
  what,
  watch,
  about,
  every = HEARTBEAT_MS,
  write = (line) => process.stderr.write(line),
}) {
  const started = Date.now();
  let stopped = false;
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    const size = watch ? await folderSize(watch) : undefined;
    busy = false;
    if (!stopped) write(progressLine({ tag, what, ms: Date.now() - started, size, watch, about }));
  }, every);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}

/** `command args` with its output as it comes and a heartbeat meanwhile; resolves with its exit status. */
export function runWithHeartbeat(command, args, { env = process.env, cwd, ...beat }) {
  return new Promise((done) => {
    const stop = heartbeat(beat);
    const child = spawn(command, args, { stdio: 'inherit', env, cwd });
    child.on('error', (error) => {
      stop();
      process.stderr.write(`${command}: ${error.message}\n`);
      done(127);
    });
    child.on('close', (code, signal) => {
      stop();
      done(code ?? (signal ? 128 : 1));
    });
  });
}

if (resolve(process.argv[1] ?? '') === resolve(new URL(import.meta.url).pathname)) {
  const argv = process.argv.slice(2);
  const split = argv.indexOf('--');
  const options = {};
  for (let i = 0; i < split; i += 2) options[argv[i].replace(/^--/, '')] = argv[i + 1];
  const [command, ...args] = argv.slice(split + 1);
  if (split < 0 || !command) {
    process.stderr.write(
      'usage: node scripts/heartbeat.mjs [--tag T] [--what "what"] [--watch DIR] [--about BYTES] -- <command> [args...]\n',
    );
    process.exit(2);
  }
  // No top-level await: the tests import this module, which tsx loads as CommonJS.
  void runWithHeartbeat(command, args, {
    tag: options.tag ?? 'setup',
    what: options.what ?? [command, ...args].join(' '),
    watch: options.watch,
    about: options.about ? Number(options.about) : undefined,
  }).then((code) => process.exit(code));
}
