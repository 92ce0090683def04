/**
 * A layer's proof command: its runner, as the project invokes it, asked to run the files `{files}`
 * stands for and to print one line per test with its name and whether it passed (we find each
 * test's result by its name). Runners that take files get them as they are (node --test, vitest,
 * jest, AVA, Mocha, tap, Jasmine, pytest, unittest, rspec); uvu's files and a test script whose runner we
 * cannot read run one at a time (`{file}`); the others get what the files stand for, worked out
 * by the shell from `{files}`: Go its packages (the files' folders) and their tests' names, Cargo its test targets
 * (`--test <file stem>`), .NET, Maven, Gradle and PHPUnit/Pest the classes the files are named after.
 */
import { posix } from 'node:path';
import type { CompiledTests } from './compiledTests';
import type { ProofPlace } from './proofFolders';
import type { RunnerFound } from './proofRunners';

/** Each file's name without its folders and extension: the class or target a file holds. */
const STEMS = "printf '%s\\n' {files} | sed 's|^.*/||; s|\\.[A-Za-z]*$||'";

export function proofCommand(runner: RunnerFound, place: ProofPlace): string {
  const words = runner.words.map(shellWord).join(' ');
  let body: string;
  switch (runner.name) {
    case 'node':
      body = `${words} --test-reporter=spec {files}`;
      break;
    case 'vitest':
      body = `${words} --reporter=verbose {files}`;
      break;
    case 'jest':
      body = `${words} --verbose --runTestsByPath {files}`;
      break;
    // TAP, which names every test with its outcome, where the runner has it built in.
    case 'ava':
      body = `${words} --tap {files}`;
      break;
    case 'mocha':
      body = `${words} --reporter tap {files}`;
      break;
    case 'tap':
      // tap 18+ fails a run whose coverage is incomplete: a proof run measures none.
      body = `${words} --reporter=tap --disable-coverage {files}`;
      break;
    case 'jasmine':
      body = `${words} {files}`;
      break;
    // uvu's files are scripts node runs; the project's script, whose runner we cannot read, gets one file at a time.
    case 'uvu':
    case 'script':
      body = `${words} {file}`;
      break;
    case 'pytest':
      // -rA names every test with its outcome even where the project's addopts make the run quiet.
      body = `${words} -rA -v {files}`;
      break;
    case 'unittest':
      // -v names every test with its outcome (`test_x (tests.test_a.T.test_x) ... ok`); unittest takes files as paths.
      body = `${words} -v {files}`;
      break;
    case 'rspec':
      body = `${words} --format documentation {files}`;
      break;
    case 'go':
      // go test runs packages: the files' folders, each once (`./` for the module's root), and of them only the files'
      // own tests (-run), since proof tests are files of the package they test, beside its own tests.
      body = `${words} -v -count=1 -run "$(sed -n 's/^func \\(Test[^(]*\\)(.*/\\1/p' {files} | sort -u | paste -sd'|' - | sed 's/.*/^(&)$/')" $(printf '%s\\n' {files} | sed 's|[^/]*$||' | sort -u | sed 's|^|./|')`;
      break;
    case 'cargo':
      // Each tests/*.rs file is a test target of its own; --no-fail-fast runs every target when one fails.
      body = `${words} --no-fail-fast $(${STEMS} | sed 's|^|--test |')`;
      break;
    case 'dotnet':
      body = `${words} --logger 'console;verbosity=detailed' --filter "$(${STEMS} | sed 's|^|FullyQualifiedName~.|; s|$|.|' | paste -sd'|' -)"`;
      break;
    case 'maven':
      // plain names every test, passed or not; -Dtest takes paths below the test sources (`acceptance/CartTest.java`).
      body = `${words} -Dsurefire.reportFormat=plain -Dsurefire.failIfNoSpecifiedTests=false -DfailIfNoTests=false -Dtest="$(printf '%s\\n' {files} | sed 's|^.*src/test/[a-z]*/||' | paste -sd, -)" test`;
      break;
    case 'gradle':
      body = `${words} $(printf '%s\\n' {files} | sed 's|^.*src/test/[a-z]*/||; s|\\.[A-Za-z]*$||; s|/|.|g; s|^|--tests |')`;
      break;
    case 'phpunit':
    case 'pest':
      // Given one folder and a filter on the files' classes, every PHPUnit version runs them (PHPUnit 9 takes one path only).
      body = `${words} ${runner.name === 'phpunit' ? '--testdox ' : ''}--filter "$(${STEMS} | paste -sd'|' -)" ${shellWord(posix.relative(runner.cwd, place.folder) || '.')}`;
      break;
  }
  if (place.compiled) body = compiledBody(runner, place.compiled, body);
  else if (place.build) body = [...place.build, body].join(' && ');
  return runner.cwd === '' ? body : `cd ${shellWord(runner.cwd)} && ${body}`;
}

/**
 * Tests written in sources the project compiles: its build first, then the runner on the compiled
 * files, `{files}` (the sources, relative to the runner's folder) mapped by the shell to their
 * output (`test/a.test.ts` → `dist/esm/test/a.test.js`).
 */
function compiledBody(runner: RunnerFound, compiled: CompiledTests, body: string): string {
  const from = posix.relative(runner.cwd, compiled.source);
  const to = posix.relative(runner.cwd, compiled.output);
  const prefix = from === '' ? `s|^|${to}/|` : `s|^${from}/|${to === '' ? '' : `${to}/`}|`;
  const mapped = `$(printf '%s\\n' {files} | sed '${prefix}; s|\\.ts$|.js|; s|\\.tsx$|.js|; s|\\.mts$|.mjs|; s|\\.cts$|.cjs|')`;
  return `${[...compiled.build, body.split('{files}').join(mapped)].join(' && ')}`;
}

/** A word as the shell must read it, quoted only when it has to be (`:app:test` stays as the project writes it); `NAME=value` keeps its assignment form. */
function shellWord(word: string): string {
  const assignment = /^([A-Za-z_]\w*)=(.*)$/s.exec(word);
  if (assignment) return `${assignment[1]}=${quoted(assignment[2]!)}`;
  return quoted(word);
}

function quoted(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
