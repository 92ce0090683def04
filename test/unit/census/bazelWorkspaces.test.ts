import assert from 'node:assert/strict';
import { test } from 'node:test';
import { censusOf, commands } from '../../support/census';

// bazelbuild/examples' shape: independent workspaces side by side (MODULE.bazel, WORKSPACE), one with a local
// module it overrides, one a Cargo crate that crate_universe reads, Bazel CI only.
const examples: Record<string, string> = {
  'README.md': '# examples',
  'cpp-tutorial/MODULE.bazel': 'bazel_dep(name = "rules_cc", version = "0.0.17")\n',
  'cpp-tutorial/main/BUILD': 'cc_binary(name = "hello-world", srcs = ["hello-world.cc"])\n',
  'cpp-tutorial/main/hello-world.cc': 'int main() { return 0; }',
  'java-maven/WORKSPACE': 'workspace(name = "java_maven")\n',
  'java-maven/BUILD':
    'java_library(name = "lib", srcs = glob(["src/main/**/*.java"]))\njava_test(name = "tests", srcs = glob(["src/test/**/*.java"]))\n',
  'java-maven/src/main/java/App.java': 'class App {}',
  'java-maven/src/test/java/AppTest.java': 'class AppTest {}',
  'bzlmod/override/MODULE.bazel':
    'module(name = "override")\nbazel_dep(name = "lib_a")\nlocal_path_override(module_name = "lib_a", path = "lib_a")\n',
  'bzlmod/override/BUILD': 'cc_binary(name = "main", srcs = ["main.cc"], deps = ["@lib_a//:lib_a"])\n',
  'bzlmod/override/main.cc': 'int main() { return 0; }',
  'bzlmod/override/lib_a/MODULE.bazel': 'module(name = "lib_a")\n',
  'bzlmod/override/lib_a/BUILD': 'cc_library(name = "lib_a", srcs = ["lib_a.cc"])\n',
  'bzlmod/override/lib_a/lib_a.cc': 'int a() { return 1; }',
  'rust/deps-cargo/MODULE.bazel': 'bazel_dep(name = "rules_rust", version = "0.54.1")\n',
  'rust/deps-cargo/Cargo.toml': '[package]\nname = "deps-cargo"\nversion = "0.1.0"\n',
  'rust/deps-cargo/BUILD.bazel': 'rust_binary(name = "hello", srcs = ["src/main.rs"])\n',
  'rust/deps-cargo/src/main.rs': 'fn main() {}',
  '.bazelci/presubmit.yml': 'tasks:\n  cpp:\n    working_directory: ../cpp-tutorial\n    build_targets: ["//..."]\n',
};

test('each Bazel workspace (MODULE.bazel, WORKSPACE) is a project checked from its folder: bazel test //... when its BUILD files declare a test, else bazel build //...; a local module another workspace overrides is part of it; beside a Cargo.toml the Bazel check joins', async () => {
  const census = await censusOf(examples);
  const byLayer = Object.fromEntries(census.layers.map((l) => [l.name, l.validate.map((v) => v.command)]));
  assert.deepEqual(byLayer['cpp-tutorial'], ['cd cpp-tutorial && bazel build //...'], JSON.stringify(byLayer));
  assert.deepEqual(byLayer['java-maven'], ['cd java-maven && bazel test //...']);
  assert.deepEqual(commands(census, 'override'), ['cd bzlmod/override && bazel build //...']);
  assert.ok(!census.layers.some((l) => l.name === 'lib_a'), 'the overridden local module is no layer of its own');
  assert.ok(
    commands(census, 'deps-cargo').includes('cd rust/deps-cargo && bazel build //...'),
    JSON.stringify(byLayer),
  );
});
