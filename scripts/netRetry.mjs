// Runs a command that downloads (npm ci, npm install, apt-get) and runs it again when it failed
// for the network's sake: a registry that stalls (EIDLETIMEOUT), resets, cannot be resolved for
// a moment, or answers 429 or 5xx. One slow answer must not fail a whole `npm test` on a flaky
// network; a failure that is not the network's (a missing package, a failed build script) is
// never retried. Node built-ins only: it runs before anything is installed.
//
//   node scripts/netRetry.mjs [--tag setup] [--what "npm ci"] [--log FILE] [--watch DIR] [--about BYTES] -- <command> [args...]
//
// The command's output is shown as it comes (or appended to FILE with --log) and its tail read
// for the cause; meanwhile a progress line every 10 s (scripts/heartbeat.mjs: the time, and how
// much DIR holds, of about BYTES). Retries: ORCH_NET_RETRIES (default 4) after waits doubling from
// ORCH_NET_RETRY_DELAY_MS (default 10,000) up to 60 s: 10, 20, 40, 60 s. Exit status: the
// command's last.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { heartbeat } from './heartbeat.mjs';

/**
 * What a network failure prints: npm's error codes (Node's socket errors, npm's own idle
 * timeout, E429/E5xx for the registry's answers, `npm error network`) and apt's. Matched in the
 * output of the failed attempt only.
 */
const NETWORK_SIGNS = [
  /\b(EIDLETIMEOUT|ETIMEDOUT|ESOCKETTIMEDOUT|ERR_SOCKET_TIMEOUT|ECONNRESET|ECONNREFUSED|ECONNABORTED|EPIPE|EAI_AGAIN|ENOTFOUND|ENETUNREACH|ENETDOWN|EHOSTUNREACH)\b/,
  /\b(E(?:429|500|502|503|504))\b/,
  /\b(network timeout)\b/,
  /npm (?:ERR!|error) network\b/,
  /\b(Temporary failure resolving|Could not resolve|Could not connect to|Unable to connect to|Connection timed out|Connection failed|Connection reset by peer)\b/,
  /\b(429\s+Too Many Requests|50[0234]\s+(?:Internal Server Error|Bad Gateway|Service Unavailable|Gateway Time-?out))\b/,
];

/** The network cause found in `output` (a short name for the notice), or undefined when the failure is not the network's. */
export function networkCause(output) {
  for (const sign of NETWORK_SIGNS) {
    const found = sign.exec(output);
    if (found) return found[1] ?? found[0];
  }
  return undefined;
}

/** The wait before retry `n` (1-based): `base`, doubled each time, never more than 60 s. */
export function retryDelay(n, base) {
  return Math.min(base * 2 ** (n - 1), Math.max(base, 60_000));
}

const seconds = (ms) => (ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`);

/** One attempt: the output shown (or logged) as it comes; resolves with the exit code and the output's tail. */
function attempt(command, args, log) {
  return new Promise((done) => {
    let tail = '';
    const child = spawn(command, args, { stdio: ['inherit', 'pipe', 'pipe'] });
    const keep = (chunk, out) => {
      out.write(chunk);
      tail = (tail + chunk.toString('utf8')).slice(-100_000);
    };
    child.stdout.on('data', (chunk) => keep(chunk, log ?? process.stdout));
    child.stderr.on('data', (chunk) => keep(chunk, log ?? process.stderr));
    child.on('error', (error) => {
      process.stderr.write(`${command}: ${error.message}\n`);
      done({ code: 127, tail });
    });
    child.on('close', (code, signal) => done({ code: code ?? (signal ? 128 : 1), tail }));
  });
}

/**
 * Runs `command args` until it succeeds, fails for another reason than the network, or the
 * retries are spent; says on stderr what it retries and why. Resolves with the last exit code.
 */
export async function runWithRetry(
  command,
  args,
  {
    tag = 'setup',
    what = [command, ...args].join(' '),
    log,
    retries = Number(process.env.ORCH_NET_RETRIES ?? 4),
    baseMs = Number(process.env.ORCH_NET_RETRY_DELAY_MS ?? 10_000),
    watch,
    about,
  } = {},
) {
  const logStream = log ? createWriteStream(log, { flags: 'a' }) : undefined;
  const started = Date.now();
  try {
    for (let n = 0; ; n++) {
      // A progress line every 10 s meanwhile (scripts/heartbeat.mjs): a download says how far it got.
      const stop = heartbeat({ tag, what, watch, about: about === undefined ? undefined : Number(about) });
      const { code, tail } = await attempt(command, args, logStream).finally(stop);
      if (code === 0) return 0;
      const cause = networkCause(tail);
      if (!cause) return code;
      if (n === retries) {
        process.stderr.write(
          `[${tag}] ${what}: the network stayed unreachable (${cause}) after ${n + 1} attempts over ${seconds(Date.now() - started)}; giving up\n`,
        );
        return code;
      }
      const wait = retryDelay(n + 1, baseMs);
      process.stderr.write(
        `[${tag}] ${what}: network error (${cause}), retry ${n + 1} of ${retries} in ${seconds(wait)}\n`,
      );
      await sleep(wait);
    }
  } finally {
    await new Promise((r) => (logStream ? logStream.end(r) : r()));
  }
}

if (resolve(process.argv[1] ?? '') === resolve(new URL(import.meta.url).pathname)) {
  const argv = process.argv.slice(2);
  const split = argv.indexOf('--');
  const options = {};
  for (let i = 0; i < split; i += 2) options[argv[i].replace(/^--/, '')] = argv[i + 1];
  const [command, ...args] = argv.slice(split + 1);
  if (split < 0 || !command) {
    process.stderr.write(
      'usage: node scripts/netRetry.mjs [--tag T] [--what "what"] [--log FILE] [--watch DIR] [--about BYTES] -- <command> [args...]\n',
    );
    process.exit(2);
  }
  process.exit(await runWithRetry(command, args, options));
}
