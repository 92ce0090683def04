/**
 * A Python project's test runner named only where CI runs it, not in a manifest: a tox environment
 * (`deps = pytest`, `commands = pytest …`, its `[pytest]` section), a nox session
 * (`session.install("pytest")`), a Makefile recipe (`python -m pytest`). The project uses pytest, as if its
 * manifest listed it (requirement files of any name and hatch environments are manifests already:
 * manifests.ts), and the commands tox's base environment or a Makefile recipe runs are kept as its test
 * commands (`testCommands`: the proof runner, its options and its folder are read from them). A project
 * whose tests are unittest's (`python -m unittest discover tests` there, or test modules importing
 * `unittest`) depends on `unittest`, the proof runner of the standard library.
 */
import { join } from 'node:path';
import { fileHead } from '../files/fileHead';
import { toxCommands } from './toxIni';
import type { Project } from '../types';

const CI_FILES = ['tox.ini', 'noxfile.py', 'Makefile', 'makefile', 'GNUmakefile'];
const PYTEST = /(?<![\w.-])(?:pytest|py\.test)(?![\w])/;
const UNITTEST = /(?:^|\s)-m\s+unittest\b/;
/** A test module of unittest's: it imports the module or subclasses its TestCase. */
const UNITTEST_MODULE = /^\s*(?:import\s+unittest\b|from\s+unittest\b)|\bunittest\.TestCase\b/m;
const PY_TEST_FILE = /(^|\/)test_[^/]*\.py$/;

export async function pythonTestTools(
  workspace: string,
  projects: readonly Project[],
  files: ReadonlySet<string>,
): Promise<void> {
  for (const project of projects) {
    if (project.ecosystem !== 'python') continue;
    const at = (name: string) => (project.dir === '' ? name : `${project.dir}/${name}`);
    const named: { command: string; origin: string }[] = [];
    for (const name of CI_FILES) {
      const path = at(name);
      if (!files.has(path)) continue;
      const text = await fileHead(join(workspace, path), 65_536);
      if (PYTEST.test(text) && !project.dependencies?.includes('pytest'))
        project.dependencies = [...(project.dependencies ?? []), 'pytest'];
      const lines = name === 'tox.ini' ? toxCommands(text) : name === 'noxfile.py' ? [] : recipeLines(text);
      const origin = name === 'tox.ini' ? `${path} ([testenv] commands)` : path;
      for (const command of lines) if (PYTEST.test(command) || UNITTEST.test(command)) named.push({ command, origin });
    }
    if (named.length > 0) project.testCommands = named;
    if (project.dependencies?.includes('pytest')) continue;
    if (named.some((n) => UNITTEST.test(n.command)) || (await importsUnittest(workspace, project, files)))
      project.dependencies = [...(project.dependencies ?? []), 'unittest'];
  }
}

/** A Makefile's recipe lines (after a tab), without make's `@`/`-` prefixes; those built from make's variables are left out. */
function recipeLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .filter((line) => line.startsWith('\t'))
    .map((line) => line.trim().replace(/^[@-]+/, ''))
    .filter((line) => line !== '' && !line.includes('$('));
}

/** The project's first few test modules import unittest. */
async function importsUnittest(workspace: string, project: Project, files: ReadonlySet<string>): Promise<boolean> {
  const prefix = project.dir === '' ? '' : `${project.dir}/`;
  const tests = [...files].filter((f) => f.startsWith(prefix) && PY_TEST_FILE.test(f)).slice(0, 3);
  for (const test of tests) if (UNITTEST_MODULE.test(await fileHead(join(workspace, test), 8_192))) return true;
  return false;
}
