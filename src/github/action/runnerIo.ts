/**
 * What a job says to the Actions runner (GitHub's docs, "Workflow commands for GitHub Actions"):
 * log lines on stdout, `::add-mask::` for each secret (the runner hides it in every later line),
 * outputs appended to the file `$GITHUB_OUTPUT` names (`name<<delimiter` blocks), and the job
 * summary's Markdown appended to `$GITHUB_STEP_SUMMARY`. A log line never starts a workflow
 * command: text from a model or a payload could otherwise (`::set-env`, `::stop-commands::`).
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { redactSecrets } from '../../core/text/secrets';

export interface RunnerIo {
  /** A line of the job's log (several lines: each). */
  log(text: string): void;
  /** Why the job failed: an error annotation on the job (its one line, as the runner escapes it). */
  error(text: string): void;
  /** A secret the runner hides from the log from now on (and this process from every line it writes). */
  mask(secret: string): void;
  output(name: string, value: string): void;
  summary(markdown: string): void;
}

/** What every line of a job's log is written with: the runner's files, and where lines go. */
export interface RunnerFiles {
  write(text: string): void;
  /** $GITHUB_OUTPUT and $GITHUB_STEP_SUMMARY (unset outside a runner: outputs are logged instead). */
  outputFile?: string;
  summaryFile?: string;
}

export function runnerIo(files: RunnerFiles): RunnerIo {
  const secrets: string[] = [];
  const clean = (text: string) => redactSecrets(text, secrets).text;
  return {
    log(text) {
      for (const line of clean(text).replace(/\r\n?/g, '\n').split('\n')) files.write(`${commandless(line)}\n`);
    },
    error(text) {
      const line = clean(text).split('\n')[0]!.replace(/%/g, '%25').replace(/\r/g, '%0D');
      files.write(`::error::${line}\n`);
    },
    mask(secret) {
      if (!secret || secrets.includes(secret)) return;
      secrets.push(secret);
      // The one line that carries a secret, on purpose: the runner reads it and hides the value.
      for (const line of secret.split(/\r?\n/).filter(Boolean)) files.write(`::add-mask::${line}\n`);
    },
    output(name, value) {
      const text = clean(value);
      if (!files.outputFile) return void files.write(`${commandless(`output ${name}=${text}`)}\n`);
      const delimiter = `ghadelimiter_${randomBytes(12).toString('hex')}`;
      appendFileSync(files.outputFile, `${name}<<${delimiter}\n${text}\n${delimiter}\n`);
    },
    summary(markdown) {
      if (files.summaryFile) appendFileSync(files.summaryFile, `${clean(markdown)}\n`);
    },
  };
}

/** A line the runner takes as a line: one starting (after blanks) with `::` gets a space before its colons. */
function commandless(line: string): string {
  // eslint-disable-next-line no-control-regex -- the terminal's escapes and controls never reach the log raw
  const plain = line.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
  return /^\s*::/.test(plain) ? plain.replace('::', ': :') : plain;
}
