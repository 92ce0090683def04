import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeCheck } from '../../../src/core/census/commands/checkCommands';
import { censusOf, commands, json, layer } from '../../support/census';

const workflow = (...steps: string[]) =>
  ['on: push', 'jobs:', '  ci:', '    runs-on: ubuntu-latest', '    steps:', ...steps].join('\n');

test("a dune project with one opam package per folder: each package's folder its layer, CI's `opam exec -- dune build a b` narrowed to the package, a package CI never names checked by `dune build`/`dune runtest` of its folder, the root by the whole build", async () => {
  const census = await censusOf({
    'dune-project': '(lang dune 3.8)\n(name web)\n(package\n (name http))\n(package\n (name web-lwt))\n',
    'http.opam': 'opam-version: "2.0"',
    'web-lwt.opam': 'opam-version: "2.0"',
    'web-eio.opam': 'opam-version: "2.0"',
    'tools.opam': 'opam-version: "2.0"',
    'http/src/dune': '(library (name http))',
    'http/src/http.ml': 'let x = 1',
    'http/src/http.mli': 'val x : int',
    'http/test/dune': '(test (name t))',
    'http/test/t.ml': 'let () = ()',
    'web-lwt/src/dune': '(library (name web_lwt))',
    'web-lwt/src/server.ml': 'let x = 1',
    'web-eio/src/dune': '(library (name web_eio))',
    'web-eio/src/server.ml': 'let x = 1',
    'web-eio/test/package.json': json({ license: 'ISC', dependencies: { xmlhttprequest: '1.8.0' } }),
    'web-eio/test/dune': '(test (name t) (modes js))',
    'web-eio/test/t.ml': 'let () = ()',
    'test_helpers/dune': '(library (name helpers))',
    'test_helpers/helpers.ml': 'let x = 1',
    '.github/workflows/ci.yml': workflow(
      '      - run: opam install --with-test --deps-only http web-lwt',
      '      - run: opam exec -- dune build http web-lwt',
      '      - run: opam exec -- dune runtest http web-lwt',
    ),
  });
  assert.deepEqual(commands(census, 'http'), ['opam exec -- dune build http', 'opam exec -- dune runtest http']);
  assert.deepEqual(commands(census, 'web-lwt'), [
    'opam exec -- dune build web-lwt',
    'opam exec -- dune runtest web-lwt',
  ]);
  assert.deepEqual(commands(census, 'web-eio'), ['dune build web-eio', 'dune runtest web-eio']);
  assert.deepEqual(layer(census, 'web-eio').owns, ['web-eio/**']);
  assert.equal(
    census.projects.some((p) => p.ecosystem === 'node'),
    false,
    'the JS its tests load (a package.json with no scripts) is tooling of the dune package, no project of its own',
  );
  const root = census.layers.find((l) => l.owns.includes('test_helpers/**'))!;
  assert.deepEqual(
    root.validate.map((v) => v.command),
    ['dune build', 'dune runtest'],
    "the root project (folders no package is named after) builds the whole: CI's commands name only packages' folders",
  );
  assert.equal(
    census.layers.some((l) => l.name === 'tools'),
    false,
    'a package with no folder of its name is no layer',
  );
});

test('a Clojure project (deps.edn, project.clj, bb.edn): CI running the executable `script/test` is its test, the script owned by no layer; without CI, its own `:test` alias', async () => {
  const files = {
    'deps.edn': json({}).replace(
      '{}',
      '{:paths ["src"] :aliases {:test {:extra-paths ["test"] :main-opts ["-m" "cognitect.test-runner"]}}}',
    ),
    'project.clj': '(defproject clj-kondo "2026.01.01"\n  :dependencies [[org.clojure/clojure "1.12.0"]])\n',
    'src/clj_kondo/main.clj': '(ns clj-kondo.main)',
    'src/clj_kondo/impl/analyzer.clj': '(ns clj-kondo.impl.analyzer)',
    'src/clj_kondo/impl/utils.cljc': '(ns clj-kondo.impl.utils)',
    'test/clj_kondo/main_test.clj': '(ns clj-kondo.main-test)',
    'script/test': '#!/usr/bin/env bash\nclojure -M:test\nlein test\n',
    'script/compile': '#!/usr/bin/env bash\nnative-image -jar clj-kondo.jar\n',
  };
  const withCi = await censusOf({
    ...files,
    '.github/workflows/ci.yml': workflow(
      '      - run: script/compile',
      '      - run: script/test',
      '      - run: .circleci/script/release',
    ),
  });
  assert.deepEqual(commands(withCi, 'clj-kondo'), ['script/compile', 'script/test']);
  assert.equal(
    layer(withCi, 'clj-kondo').owns.some((g) => g.startsWith('script')),
    false,
    'the script CI runs stays out of every owns (the trust rule)',
  );
  const alone = await censusOf(files);
  assert.deepEqual(commands(alone, 'clj-kondo'), ['clojure -M:test']);
  assert.equal(normalizeCheck('clojure -X:test:test-regression')?.kind, 'test');
  assert.equal(normalizeCheck('clojure -M:clojure-1.11.4:test')?.kind, 'test');
  assert.equal(normalizeCheck('clojure -T:build uber'), undefined, 'a build tool alias that packages checks nothing');
  assert.equal(normalizeCheck('lein with-profiles +clojure-1.11.4 do clean, test')?.kind, 'test');
});

test("an sbt build: each `project.in(file(…))` / `projectMatrix.in(file(…))` its layer; aliases CI runs at the root cover each, a task CI qualifies with a project is that one's; a package.json that checks nothing claims no sbt folder", async () => {
  const census = await censusOf({
    'build.sbt': [
      'addCommandAlias("scalafixCheckAll", "; scalafixEnable; scalafixAll --check")',
      'addCommandAlias("testJVM", onEach(tests.jvm.get, "testFull"))',
      'lazy val junit = project.in(file("junit-interface")).settings(name := "junit-interface")',
      'lazy val munit = projectMatrix.in(file("munit")).dependsOn(munitDiff)',
      'lazy val munitDiff = projectMatrix',
      '  .in(file("munit-diff"))',
      'lazy val plugin = project.in(file("munit-sbt"))',
      'lazy val docs = project.in(file("munit-docs")).dependsOn(munitJVM)',
    ].join('\n'),
    'package.json': json({ devDependencies: { jsdom: '^30.0.1' } }),
    'project/plugins.sbt': 'addSbtPlugin("x" % "y" % "1")',
    'project/Build.scala': 'object Build',
    'junit-interface/src/main/java/munit/Runner.java': 'class Runner {}',
    'munit/shared/src/main/scala/munit/Suite.scala': 'class Suite',
    'munit/jvm/src/main/scala/munit/Platform.scala': 'object Platform',
    'munit-diff/shared/src/main/scala/munit/diff/Diff.scala': 'class Diff',
    'munit-sbt/src/main/scala/munit/sbtmunit/Plugin.scala': 'object Plugin',
    'munit-sbt/src/test/scala/munit/sbtmunit/PluginSuite.scala': 'class PluginSuite',
    'munit-docs/src/main/scala/munit/docs/Docs.scala': 'object Docs',
    '.github/workflows/ci.yml': workflow(
      '      - run: sbt testJVM',
      '      - run: sbt +plugin/testFull',
      '      - run: sbt scalafixCheckAll',
      '      - run: npm install',
      '      - run: sbt docs/docusaurusCreateSite',
      '      - run: sbt testJVM',
    ),
    '.github/workflows/release-website.yml': workflow('      - run: sbt docs/docusaurusPublishGhpages'),
  });
  assert.equal(
    census.projects.some((p) => p.ecosystem === 'node'),
    false,
    "the root package.json (jsdom for Scala.js tests) is the build's tooling, no project",
  );
  assert.deepEqual(commands(census, 'munit'), ['sbt testJVM', 'sbt scalafixCheckAll']);
  assert.deepEqual(commands(census, 'junit-interface'), ['sbt testJVM', 'sbt scalafixCheckAll']);
  assert.deepEqual(commands(census, 'munit-diff'), ['sbt testJVM', 'sbt scalafixCheckAll']);
  assert.deepEqual(commands(census, 'munit-sbt'), ['sbt +plugin/testFull']);
  assert.deepEqual(commands(census, 'munit-docs'), ['sbt docs/docusaurusCreateSite']);
  assert.deepEqual(
    commands(census, 'project'),
    ['sbt testJVM', 'sbt scalafixCheckAll'],
    'the build definition runs the root checks once each, never a task CI qualified with one project',
  );
  assert.equal(normalizeCheck('sbt "backend/generateOpenAPIDescription"'), undefined, 'a generator is no check');
  assert.equal(normalizeCheck('sbt clean test')?.kind, 'test');
});

test('an sbt build CI checks with `sbt test` at the root: each project runs its own (`sbt core/test`), a project without tests compiles (`sbt api/compile`) when CI names nothing for it', async () => {
  const census = await censusOf({
    'build.sbt': 'lazy val core = (project in file("modules/core"))\nlazy val api = (project in file("modules/api"))\n',
    'modules/core/src/main/scala/Core.scala': 'object Core',
    'modules/core/src/test/scala/CoreSpec.scala': 'class CoreSpec',
    'modules/api/src/main/scala/Api.scala': 'object Api',
  });
  assert.deepEqual(commands(census, 'core'), ['sbt core/test']);
  assert.deepEqual(commands(census, 'api'), ['sbt api/compile']);
  const withCi = await censusOf({
    'build.sbt': 'lazy val core = (project in file("modules/core"))\n',
    'modules/core/src/main/scala/Core.scala': 'object Core',
    '.github/workflows/ci.yml': workflow('      - run: sbt test'),
  });
  assert.deepEqual(commands(withCi, 'core'), ['sbt core/test']);
});
