/**
 * CI runs its tests through tox (`tox -e py312`, `python -m tox`), and tox is not installed here: the
 * commands that tox environment runs (tox.ini's `commands`, verifyTox's toxIni.ts) are what it checks, so
 * each that is a check runs as a command of its own, on the interpreter and tools on PATH
 * (`python -m unittest discover tests`, `pytest tests`; a coverage wrapper dropped: `coverage run -m
 * unittest …` → `python3 -m unittest …`), and those that pass become the layer's gates beside the tox
 * command, which stays a comment saying tox is not installed. Tox runs them in a virtualenv holding the
 * project and its dependencies: without tox, the project's own virtualenv is that one (`pytest` →
 * `.venv/bin/pytest`, as proof's command has it), and pytest-cov's options go with the coverage wrapper
 * (`pytest --cov=h11 h11` → `pytest h11`: coverage is not what the gate checks, and the plugin may be absent).
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { quote } from 'shell-quote';
import { checkCommand, commandWords } from '../commands/checkCommands';
import { toxCommands, toxEnvOf } from '../commands/toxIni';
import type { Census, VerifyOutcome } from '../types';

type Run = (command: string) => Promise<VerifyOutcome>;

export async function verifyToxCommands(
  census: Census,
  cwd: string,
  outcomes: Map<string, VerifyOutcome>,
  run: Run,
  signal?: AbortSignal,
): Promise<void> {
  for (const layer of census.layers) {
    for (let i = 0; i < layer.validate.length; i++) {
      const { command, origin } = layer.validate[i]!;
      const outcome = outcomes.get(command);
      if (outcome?.status !== 'missing-tool' || outcome.tool !== 'tox') continue;
      const cd = /^cd (\S+) && (.*)$/.exec(command);
      const dir = cd?.[1] ?? '';
      const words = commandWords(cd?.[2] ?? command);
      if (!words.some((w, at) => w === 'tox' || (w === '-m' && words[at + 1] === 'tox'))) continue;
      const ini = join(dir, 'tox.ini');
      const text = await readFile(join(cwd, ini), 'utf8').catch(() => undefined);
      if (text === undefined) continue;
      const env = toxEnvOf(words);
      for (const line of toxCommands(text, env)) {
        const check = checkCommand(withoutCoverage(line));
        if (!check) continue;
        const own = fromProjectVenv(join(cwd, dir), check.command);
        const direct = dir === '' ? own : `cd ${dir} && ${own}`;
        if (layer.validate.some((v) => v.command === direct)) continue;
        if (signal?.aborted) return;
        if (!outcomes.has(direct)) outcomes.set(direct, await run(direct));
        const section =
          env !== undefined && new RegExp(`^\\[testenv:${env}\\]`, 'm').test(text) ? `testenv:${env}` : 'testenv';
        layer.validate.splice(++i, 0, {
          command: direct,
          origin: `${ini.replace(/^\.\//, '')} ([${section}] commands, run without tox, which is not installed: ${origin} runs it)`,
          kind: check.kind,
        });
      }
    }
  }
}

const COVERAGE_VALUE = new Set([
  '--source',
  '--include',
  '--omit',
  '--rcfile',
  '--context',
  '--data-file',
  '--concurrency',
]);

/** The command's program from the project's virtualenv, when it is Python's and the virtualenv has it. */
function fromProjectVenv(folder: string, command: string): string {
  const words = commandWords(command);
  if (!/^(pytest|py\.test|python3?)$/.test(words[0] ?? '')) return command;
  const venv = ['.venv', 'venv'].find((v) => existsSync(join(folder, v, 'bin', words[0]!)));
  return venv ? quote([`${venv}/bin/${words[0]}`, ...words.slice(1)]) : command;
}

/** `coverage run [options] -m pytest …` → `python3 -m pytest …`; `coverage run [options] script.py` → `python3 script.py`. */
function withoutCoverage(line: string): string {
  const words = commandWords(line);
  if (words[0] === 'pytest' || (words[1] === '-m' && words[2] === 'pytest'))
    return words.some((w) => /^--cov/.test(w)) ? quote(withoutCovOptions(words)) : line;
  if (words[0] !== 'coverage' || words[1] !== 'run') return line;
  let at = 2;
  while (at < words.length && words[at]!.startsWith('-') && words[at] !== '-m')
    at += COVERAGE_VALUE.has(words[at]!) ? 2 : 1;
  return quote(['python3', ...words.slice(at)]);
}

/** pytest-cov's options (`--cov=h11`, `--cov-config .coveragerc`, `--no-cov`), each with its value. */
function withoutCovOptions(words: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (!/^--(no-)?cov(-[\w-]+)?(=|$)/.test(word)) kept.push(word);
    else if (
      !word.includes('=') &&
      /^--cov(-(config|report|fail-under|context))?$/.test(word) &&
      !words[i + 1]?.startsWith('-')
    )
      i++;
  }
  return kept;
}
