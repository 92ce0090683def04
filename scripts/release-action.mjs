// The GitHub Action's release (issue 48): a workflow whose `uses:` names this repository (a fork) and a tag runs
// action.yml's `runs.main`, dist/action.js, from the tag's tree, and nothing is installed at run
// time. dist/ stays out of the branches (.gitignore: every change to the engine would otherwise
// have to commit its bundles too); a release is a commit of its own, on top of HEAD and on no
// branch, holding HEAD's tree and what the action needs that HEAD lacks (its bundles: the
// `action` list of dist/artifacts.json, which the build derives), built here for production, named
// by the version's tag and the major version's (moved to it). HEAD, the index and the branches
// are untouched.
//
//   node scripts/release-action.mjs v1.2.0            # builds, commits, tags v1.2.0 and moves v1
//   node scripts/release-action.mjs v1.2.0 --push     # …and pushes both tags to origin
//   node scripts/release-action.mjs v1.2.0 --no-build # dist/ as it is (a test's build)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ARTIFACTS_FILE, readArtifacts } from './artifacts.mjs';

const VERSION = /^v(\d+)\.\d+\.\d+$/;

function git(repo, args, env = {}) {
  const result = spawnSync('git', args, { cwd: repo, encoding: 'utf8', env: { ...process.env, ...env } });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr.trim()}`);
  return result.stdout.trim();
}

/**
 * The release commit of `version` in `repo`, both tags on it; returns the commit. The Action's
 * files HEAD lacks are taken from `built` (a built copy of the package: `repo` itself by default).
 */
export function releaseAction(repo, version, built = repo) {
  const major = VERSION.exec(version)?.[1];
  if (!major) throw new Error(`a version is vMAJOR.MINOR.PATCH, not "${version}"`);
  if (spawnSync('git', ['rev-parse', '--verify', '--quiet', `refs/tags/${version}`], { cwd: repo }).status === 0)
    throw new Error(`the tag ${version} exists already`);
  if (!existsSync(join(built, ARTIFACTS_FILE)))
    throw new Error(`no ${ARTIFACTS_FILE}: build it (node scripts/build.mjs --production)`);
  const head = git(repo, ['rev-parse', '--verify', 'HEAD^{commit}']);
  const tracked = new Set(git(repo, ['ls-tree', '-r', '--name-only', head]).split('\n'));
  if (!tracked.has('action.yml')) throw new Error("action.yml is not at the repository's root");
  const added = readArtifacts(built).action.filter((file) => !tracked.has(file));
  const missing = added.filter((file) => !existsSync(join(built, file)));
  if (missing.length > 0)
    throw new Error(`${built} lacks ${missing.join(', ')}: build it (node scripts/build.mjs --production)`);
  // HEAD's tree and the bundles, through an index of its own: the repository's index is not touched.
  const dir = mkdtempSync(join(tmpdir(), 'orchestrator-release-'));
  try {
    const env = { GIT_INDEX_FILE: join(dir, 'index') };
    git(repo, ['read-tree', head], env);
    for (const file of added) {
      const blob = git(repo, ['hash-object', '-w', join(built, file)]);
      git(repo, ['update-index', '--add', '--cacheinfo', `100644,${blob},${file}`], env);
    }
    const tree = git(repo, ['write-tree'], env);
    const commit = git(repo, [
      'commit-tree',
      tree,
      '-p',
      head,
      '-m',
      `Release ${version} of the GitHub Action\n\nHEAD ${head} with what action.yml runs (${added.join(', ')}), built by scripts/release-action.mjs.`,
    ]);
    git(repo, ['tag', version, commit]);
    git(repo, ['tag', '--force', `v${major}`, commit]);
    return commit;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [version] = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
  const repo = resolve(fileURLToPath(new URL('..', import.meta.url)));
  try {
    if (!process.argv.includes('--no-build')) {
      const built = spawnSync(process.execPath, [join(repo, 'scripts', 'build.mjs'), '--production', '--force'], {
        cwd: repo,
        stdio: 'inherit',
      });
      if (built.status !== 0) throw new Error('the production build failed');
    }
    const commit = releaseAction(repo, version ?? '');
    const major = `v${VERSION.exec(version)[1]}`;
    console.log(`${version} and ${major} name ${commit.slice(0, 12)}: HEAD with dist/ for the action.`);
    if (process.argv.includes('--push')) {
      git(repo, ['push', 'origin', `refs/tags/${version}`]);
      git(repo, ['push', '--force', 'origin', `refs/tags/${major}`]);
      console.log(`Pushed ${version} and ${major} to origin.`);
    } else {
      console.log(`Push them with: git push origin ${version} && git push --force origin ${major}`);
    }
  } catch (error) {
    console.error(`release-action: ${error.message}`);
    process.exit(1);
  }
}
