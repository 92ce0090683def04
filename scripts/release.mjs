// `npm run release`: the three artifacts of this version, from one production build and the one
// list of what each holds (dist/artifacts.json, derived by the build: scripts/artifacts.mjs).
//
//   release/spec-orchestrator-<version>.tgz    the CLI: npm install -g ./release/spec-orchestrator-<version>.tgz
//   release/spec-orchestrator-<version>.vsix   the extension: code --install-extension …
//   release/action/                           the GitHub Action's tree, as `init --github-action` vendors it
//   release/artifacts.json                    the lists they were made from
//
//   node scripts/release.mjs                   # into release/ (gitignored)
//   node scripts/release.mjs --out DIR
//   node scripts/release.mjs --tag v1.2.0      # also the Action's release commit and tags (scripts/release-action.mjs)
//   node scripts/release.mjs --install-vsix-to DIR   # also install the .vsix offline into that extensions
//                                              folder with code-server's CLI (the extension tier's vsix session)
//
// Each packager is held to its list: the tarball's files and vsce's are compared with it, and a
// difference stops the release.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ACTION_MAX_BYTES, ARTIFACTS_FILE, readArtifacts } from './artifacts.mjs';
import { buildStaged, cleanEnv, installVsix, vscePackage } from './package.mjs';
import { releaseAction } from './release-action.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

/**
 * `npm pack` of a built copy (`dir`) into `outDir`, after the build (no prepack: `dir` is built);
 * throws unless the tarball holds exactly the `cli` list. Returns the tarball's path.
 */
export function packCli(dir, outDir) {
  mkdirSync(outDir, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const packed = spawnSync(
    npm,
    ['pack', '--ignore-scripts', '--json', '--update-notifier=false', '--pack-destination', outDir],
    { cwd: dir, encoding: 'utf8', env: cleanEnv() },
  );
  if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
  const [{ filename, files }] = JSON.parse(packed.stdout);
  const want = readArtifacts(dir).cli;
  const got = files.map((f) => f.path);
  const differ = [...got.filter((f) => !want.includes(f)), ...want.filter((f) => !got.includes(f))];
  if (differ.length > 0)
    throw new Error(
      `npm pack would not ship the cli list exactly (${ARTIFACTS_FILE}); differing: ${differ.join(', ')}`,
    );
  return join(outDir, filename);
}

/**
 * The Action's tree of a built copy (`dir`) in `to`, exactly as `orchestrator init --github-action`
 * vendors it: laid out by the built engine itself (writeActionTree, src/core/ci/vendorAction.ts),
 * in a child so this stays synchronous. Throws when it weighs more than `maxBytes` (the release's
 * production build: at most ACTION_MAX_BYTES).
 */
export function actionTree(dir, to, maxBytes = Infinity) {
  const engine = join(dir, 'dist', 'engine.js');
  const laid = spawnSync(
    process.execPath,
    [
      '-e',
      'require(process.argv[1]).writeActionTree(process.argv[2], process.argv[3]).then((t) => console.log(JSON.stringify(t)), (e) => { console.error(e.message); process.exit(1); })',
      engine,
      dir,
      to,
    ],
    { encoding: 'utf8', env: cleanEnv() },
  );
  if (laid.status !== 0) throw new Error(`the Action's tree: ${laid.stderr.trim() || laid.error?.message}`);
  const { bytes } = JSON.parse(laid.stdout);
  if (bytes > maxBytes)
    throw new Error(
      `the Action's tree weighs ${bytes} bytes, more than the ${maxBytes} docs/github-action.md promises (scripts/artifacts.mjs ACTION_LEAVES_OUT says what it leaves out)`,
    );
  return to;
}

function parseArgs(argv) {
  const opts = { out: join(root, 'release'), tag: undefined, installTo: undefined };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') opts.out = resolve(argv[++i] ?? '');
    else if (argv[i] === '--tag') opts.tag = argv[++i];
    else if (argv[i] === '--install-vsix-to') opts.installTo = resolve(argv[++i] ?? '');
    else throw new Error(`unknown argument ${argv[i]} (--out DIR, --tag vX.Y.Z, --install-vsix-to DIR)`);
  }
  return opts;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const opts = parseArgs(process.argv.slice(2));
    const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const staging = buildStaged();
    try {
      rmSync(opts.out, { recursive: true, force: true });
      mkdirSync(opts.out, { recursive: true });
      const show = (path) => relative(process.cwd(), path) || path;
      const tarball = packCli(staging, opts.out);
      const vsix = vscePackage(staging, join(opts.out, `${name}-${version}.vsix`));
      const action = actionTree(staging, join(opts.out, 'action'), ACTION_MAX_BYTES);
      copyFileSync(join(staging, ARTIFACTS_FILE), join(opts.out, 'artifacts.json'));
      console.log(`release: ${show(tarball)}  (npm install -g ${show(tarball)})`);
      console.log(`release: ${show(vsix)}  (code --install-extension ${show(vsix)})`);
      console.log(`release: ${show(action)}/  (the GitHub Action's tree)`);
      if (opts.installTo) console.log(`release: installed into ${installVsix(vsix, opts.installTo)}`);
      if (opts.tag) {
        const commit = releaseAction(root, opts.tag, staging);
        const major = opts.tag.split('.')[0];
        console.log(
          `release: ${opts.tag} and ${major} name ${commit.slice(0, 12)}, HEAD with the Action's bundles (git push origin ${opts.tag} && git push --force origin ${major})`,
        );
      }
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  } catch (error) {
    console.error(`release: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
