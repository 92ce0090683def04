// The mocha runner that VS Code loads inside the extension host (extensionTestsPath).
// scripts/e2e/build-tests.mjs bundles this file to out/test/extension/index.js and every
// test/extension/suite/**/*.test.ts next to it (out/test/extension/suite/**/*.test.js);
// run() loads those. Suites use mocha's TDD interface: suite(), test(), setup(), teardown().
//
// Environment (set by the harness through extensionEnvironment / extensionTestsEnv):
//   ORCH_TEST_SUITE        main (default): suite/*.test.ts; any other session its folder,
//                          suite/<name>/** (restricted, chat, multiroot, vsix: test/extension/runner/sessions.ts)
//   ORCH_TEST_GREP         only tests whose full title matches this regular expression
//   ORCH_TEST_TIMEOUT_MS   per-test timeout (default 30000)
//   ORCH_TEST_RESULT_FILE  where to write {passes, failures, pending, failed: [titles]}
import Mocha from 'mocha';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function findSuites(dir: string, recursive = true): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (recursive) out.push(...findSuites(full));
    } else if (entry.name.endsWith('.test.js')) out.push(full);
  }
  return out.sort();
}

/** The session's files: the top level of suite/ for `main`, else the folder of that name. */
function suiteDir(): { dir: string; recursive: boolean } {
  const name = process.env.ORCH_TEST_SUITE ?? 'main';
  if (name === 'main') return { dir: join(__dirname, 'suite'), recursive: false };
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`ORCH_TEST_SUITE: bad suite name ${name}`);
  return { dir: join(__dirname, 'suite', name), recursive: true };
}

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'tdd',
    reporter: 'spec',
    color: process.env.ORCH_TEST_COLOR === '1',
    timeout: Number(process.env.ORCH_TEST_TIMEOUT_MS ?? 30_000),
    ...(process.env.ORCH_TEST_GREP ? { grep: process.env.ORCH_TEST_GREP } : {}),
  });
  const { dir, recursive } = suiteDir();
  const files = findSuites(dir, recursive);
  files.forEach((f) => mocha.addFile(f));
  console.log(`[extension-tests] ${files.length} suite file(s) in ${dir}`);

  return new Promise((resolve, reject) => {
    if (files.length === 0) {
      reject(new Error('no test files (out/test/extension/suite/**/*.test.js): run scripts/e2e/build-tests.mjs'));
      return;
    }
    const failed: string[] = [];
    try {
      const runner = mocha.run((failures) => {
        const { passes = 0, pending = 0 } = runner.stats ?? {};
        // A plain closing line that CI can read, whatever the reporter printed above it.
        console.log(
          passes + failures > 0
            ? `extension: ${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ''}`
            : 'extension: no test ran',
        );
        const resultFile = process.env.ORCH_TEST_RESULT_FILE;
        if (resultFile) writeFileSync(resultFile, JSON.stringify({ passes, failures, pending, failed }));
        if (failures > 0) reject(new Error(`${failures} test(s) failed`));
        else if (passes === 0 && !process.env.ORCH_TEST_GREP) reject(new Error('no test ran'));
        else resolve();
      });
      // The title and the error's first line: all a CI log's tail keeps of a failure.
      runner.on('fail', (test, err: unknown) =>
        failed.push(
          `${test.fullTitle()}: ${(String(err instanceof Error ? err.message : err).split('\n')[0] ?? '').slice(0, 200)}`,
        ),
      );
    } catch (err) {
      // A suite file that throws while loading.
      console.error(err);
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
