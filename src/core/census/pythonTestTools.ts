/**
 * pytest named only where CI runs it, not in a manifest: a tox environment (`deps = pytest`,
 * `commands = pytest …`, its `[pytest]` section), a nox session (`session.install("pytest")`), a
 * Makefile recipe (`python -m pytest`). The Python project of that folder uses pytest, as if its
 * manifest listed it (requirement files of any name and hatch environments are manifests already:
 * manifests.ts), so `init` proposes proof with it.
 */
import { join } from 'node:path';
import { fileHead } from './fileHead';
import type { Project } from './types';

const CI_FILES = ['tox.ini', 'noxfile.py', 'Makefile', 'makefile', 'GNUmakefile'];
const PYTEST = /(?<![\w.-])(?:pytest|py\.test)(?![\w])/;

export async function pytestWhereCiNamesIt(
  workspace: string,
  projects: readonly Project[],
  files: ReadonlySet<string>,
): Promise<void> {
  for (const project of projects) {
    if (project.ecosystem !== 'python' || project.dependencies?.includes('pytest')) continue;
    for (const name of CI_FILES) {
      const path = project.dir === '' ? name : `${project.dir}/${name}`;
      if (!files.has(path) || !PYTEST.test(await fileHead(join(workspace, path), 65_536))) continue;
      project.dependencies = [...(project.dependencies ?? []), 'pytest'];
      break;
    }
  }
}
