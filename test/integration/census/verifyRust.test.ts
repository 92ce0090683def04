import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { initFromCensus } from '../../../src/core/census/init/initFromCensus';
import { commitAll, git, json, makeRepo } from '../../support/census';

const hasCargo = (() => {
  try {
    execFileSync('cargo', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const crate = (name: string, extra = '') =>
  `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "2021"\n${extra}`;

test(
  'init verifies a Rust workspace with a Tauri-style app in a throwaway worktree: no target/, Cargo.lock or tool cache left in the repository or its dependency folders',
  { skip: !hasCargo && 'cargo is not installed' },
  async () => {
    const repo = await makeRepo({
      // Path-only crates: nothing to download.
      'Cargo.toml': '[workspace]\nresolver = "2"\nmembers = ["crates/*", "apps/*/src-tauri"]\n',
      'crates/engine/Cargo.toml': crate('engine'),
      'crates/engine/src/lib.rs':
        'pub fn double(x: u32) -> u32 { x * 2 }\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn doubles() { assert_eq!(super::double(2), 4); }\n}\n',
      'apps/studio/package.json': json({
        name: 'studio',
        scripts: { typecheck: 'tsc -b' },
        dependencies: { '@tauri-apps/api': '2' },
      }),
      'apps/studio/package-lock.json': '{}',
      'apps/studio/src/main.ts': 'export {};\n',
      'apps/studio/src-tauri/Cargo.toml': crate(
        'studio-app',
        '[dependencies]\nengine = { path = "../../../crates/engine" }\n',
      ),
      'apps/studio/src-tauri/src/main.rs': 'fn main() { println!("{}", engine::double(2)); }\n',
      // The repository ignores node_modules but not target/: a build there would show in git status.
      '.gitignore': 'node_modules/\n',
      // A type checker that keeps its build info under node_modules/.tmp, as Vite's templates set tsBuildInfoFile.
      'apps/studio/node_modules/.bin/tsc':
        '#!/bin/sh\nmkdir -p node_modules/.tmp && echo built > node_modules/.tmp/tsconfig.app.tsbuildinfo\n',
      'apps/studio/node_modules/@tauri-apps/api/package.json': json({ name: '@tauri-apps/api', version: '2.0.0' }),
      '.github/workflows/ci.yml': 'jobs:\n  libs:\n    steps:\n      - run: cargo test -p engine\n',
    });
    try {
      chmodSync(join(repo.dir, 'apps/studio/node_modules/.bin/tsc'), 0o755);
      commitAll(repo.dir);
      const report = await initFromCensus(repo.dir, { trusted: true, budgetSec: 300 });
      const verified = report.census.layers.flatMap((l) =>
        l.validate.map((v, i) => [v.command, l.verified![i]!.status]),
      );
      assert.deepEqual(Object.fromEntries(verified), {
        'cargo test -p engine': 'passed',
        'cargo check -p studio-app': 'passed',
        'cd apps/studio && npm run typecheck': 'passed',
      });
      const status = git(repo.dir, 'status', '--porcelain', '--untracked-files=all')
        .split('\n')
        .filter(Boolean)
        .map((line) => line.slice(3));
      assert.deepEqual(
        status.filter((path) => !path.startsWith('.claude/') && path !== '.gitignore'),
        [],
      );
      for (const path of ['target', 'Cargo.lock', 'apps/studio/src-tauri/target', 'apps/studio/node_modules/.tmp'])
        assert.ok(!existsSync(join(repo.dir, path)), `${path} was written into the repository`);
      assert.deepEqual(readdirSync(join(repo.dir, 'apps/studio/node_modules')).sort(), ['.bin', '@tauri-apps']);
    } finally {
      await repo.cleanup();
    }
  },
);

test(
  'a Tauri app whose crates were never downloaded: cargo runs offline, fails at once, and each cargo command stays a gate marked not run, saying why',
  { skip: !hasCargo && 'cargo is not installed' },
  async () => {
    const repo = await makeRepo({
      'Cargo.toml': '[workspace]\nresolver = "2"\nmembers = ["crates/*", "apps/*/src-tauri"]\n',
      'crates/engine/Cargo.toml': crate('engine'),
      'crates/engine/src/lib.rs': 'pub fn run() {}\n',
      'apps/viewer/package.json': json({ name: 'viewer', dependencies: { '@tauri-apps/api': '2' } }),
      'apps/viewer/src/main.ts': 'export {};\n',
      // A crate from the registry that this machine has never fetched.
      'apps/viewer/src-tauri/Cargo.toml': crate(
        'viewer-app',
        '[dependencies]\norchestrator-never-fetched-crate = "1"\nengine = { path = "../../../crates/engine" }\n',
      ),
      'apps/viewer/src-tauri/src/main.rs': 'fn main() {}\n',
      '.github/workflows/ci.yml': 'jobs:\n  libs:\n    steps:\n      - run: cargo test -p engine\n',
    });
    try {
      commitAll(repo.dir);
      const report = await initFromCensus(repo.dir, { trusted: true, timeoutSec: 60, budgetSec: 300 });
      const outcomes = report.census.layers.flatMap((l) =>
        l.validate.map((v, i) => ({ command: v.command, outcome: l.verified![i]! })),
      );
      assert.deepEqual(outcomes.map((o) => o.command).sort(), ['cargo check -p viewer-app', 'cargo test -p engine']);
      for (const { outcome } of outcomes) {
        assert.equal(outcome.status, 'skipped');
        assert.match(
          outcome.status === 'skipped' ? outcome.reason : '',
          /cargo ran offline and the crates it needs are not downloaded/,
        );
      }
      // Still gates: the config keeps them, marked not run.
      assert.match(report.proposal, /- cargo test -p engine # .*not run: cargo ran offline/);
      assert.ok(!existsSync(join(repo.dir, 'target')) && !existsSync(join(repo.dir, 'Cargo.lock')));
    } finally {
      await repo.cleanup();
    }
  },
);
