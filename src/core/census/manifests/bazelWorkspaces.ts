/**
 * Bazel workspaces as projects: a folder holding `MODULE.bazel`, `WORKSPACE` or `WORKSPACE.bazel` is a
 * workspace of its own (bazelbuild/examples keeps forty side by side), checked from its folder by
 * `bazel test //...` when one of its BUILD files declares a test rule (`cc_test`, `java_test`, `test_suite`…),
 * else `bazel build //...` (`bazel test` with no test target fails), beside the checks of another manifest in
 * that folder. A workspace inside another whose file
 * names its folder (`local_path_override(path = "lib_a")`, `local_repository(path = …)`) is a module that one
 * builds, not a project of its own.
 */
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Project } from '../types';

const WORKSPACE_FILE = /^(MODULE\.bazel|WORKSPACE(\.bazel|\.bzlmod)?)$/;
const BUILD_FILE = /^BUILD(\.bazel)?$/;
const TEST_RULE = /(^|[\s(])\w*_test\s*\(|\btest_suite\s*\(/m;
const MAX_BUILD_FILES = 300;
const MAX_BYTES = 64 * 1024;

export function isBazelWorkspaceFile(path: string): boolean {
  return WORKSPACE_FILE.test(posix.basename(path));
}

/** A workspace's name: `module(name = "frontend")`, `workspace(name = "examples")`. */
export function bazelWorkspaceName(text: string): string | undefined {
  return /\b(?:module|workspace)\s*\(\s*name\s*=\s*"([\w.-]+)"/.exec(text)?.[1];
}

const inside = (dir: string, folder: string) => folder === '' || dir === folder || dir.startsWith(`${folder}/`);

/**
 * The Bazel projects kept, each with its check: those another workspace names as its local module are dropped
 * (their files stay with it), and each is tested when its BUILD files declare a test, else built.
 */
export async function bazelWorkspaces(
  workspace: string,
  files: readonly string[],
  projects: Project[],
  texts: ReadonlyMap<string, string>,
): Promise<Project[]> {
  const workspaceDirs = new Map<string, string>();
  for (const [path, text] of texts)
    if (isBazelWorkspaceFile(path)) {
      const dir = posix.dirname(path) === '.' ? '' : posix.dirname(path);
      workspaceDirs.set(dir, `${workspaceDirs.get(dir) ?? ''}\n${text}`);
    }
  const localModule = (dir: string) =>
    [...workspaceDirs].some(
      ([outer, text]) =>
        outer !== dir &&
        inside(dir, outer) &&
        [...text.matchAll(/\bpath\s*=\s*"([^"]+)"/g)].some(
          (m) => posix.normalize(posix.join(outer, m[1]!)).replace(/^\.$/, '') === dir,
        ),
    );
  const kept = projects.filter((p) => p.ecosystem !== 'bazel' || !localModule(p.dir));
  // A workspace beside another manifest (a Cargo crate that crate_universe reads, a pnpm workspace of rules_js) is Bazel's too.
  const bazel = kept.filter((p) => workspaceDirs.has(p.dir) && !localModule(p.dir));
  if (bazel.length === 0) return kept;
  // Each BUILD file belongs to the deepest workspace above it.
  const owner = (file: string) =>
    [...workspaceDirs.keys()].filter((d) => inside(file, d)).sort((a, b) => b.length - a.length)[0];
  const builds = files.filter((f) => BUILD_FILE.test(posix.basename(f))).slice(0, MAX_BUILD_FILES);
  const tested = new Set<string>();
  await Promise.all(
    builds.map(async (file) => {
      const dir = owner(file);
      if (dir === undefined || tested.has(dir)) return;
      const text = await readFile(join(workspace, file), 'utf8').catch(() => '');
      if (TEST_RULE.test(text.slice(0, MAX_BYTES))) tested.add(dir);
    }),
  );
  for (const project of bazel) {
    const check = `bazel ${tested.has(project.dir) ? 'test' : 'build'} //...`;
    project.bazelCheck = project.dir === '' ? check : `cd ${project.dir} && ${check}`;
  }
  return kept;
}
