import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeCheck } from '../../../src/core/census/commands/checkCommands';
import { censusOf, workflowRunning } from '../../support/census';

test('rebar3, mill, Crystal and Gleam are judged by their tasks: `./rebar3 ct`, `rebar3 do eunit, ct`, mill targets by their last segment past local publishing, `crystal spec`, `gleam test`; releases and formatting in place are none', () => {
  assert.equal(normalizeCheck('./rebar3 ct')?.kind, 'test');
  assert.equal(normalizeCheck('rebar3 do eunit, ct')?.kind, 'test');
  assert.equal(normalizeCheck('rebar3 dialyzer')?.kind, 'typecheck');
  assert.equal(normalizeCheck('rebar3 release'), undefined);
  assert.equal(
    normalizeCheck('./mill -i -j 0 -k __.jvm.__.compile + __.jvm.__.publishArtifacts + __.jvm.__.test')?.kind,
    'test',
  );
  assert.equal(normalizeCheck('./mill -i -k __.mimaReportBinaryIssues')?.kind, 'lint');
  assert.equal(normalizeCheck("./mill 'ujson.jvm[2.13.11].compile'")?.kind, 'build');
  assert.equal(normalizeCheck('./mill -i mill.scalalib.PublishModule/publishAll'), undefined);
  assert.equal(normalizeCheck('crystal spec ./spec/unit/')?.kind, 'test');
  assert.equal(normalizeCheck('crystal tool format --check src spec')?.kind, 'lint');
  assert.equal(normalizeCheck('crystal tool format src'), undefined);
  assert.equal(normalizeCheck('gleam test --target javascript --runtime deno')?.kind, 'test');
  assert.equal(normalizeCheck('gleam format --check src test')?.kind, 'lint');
  assert.equal(normalizeCheck('gleam publish'), undefined);
});

test("an Erlang app under apps/ and a Crystal shard are code: rebar3's app checked by CI's `./rebar3 ct`, the shard by `make test` and `crystal spec`", async () => {
  const rebar = await censusOf({
    'rebar.config': '{erl_opts, [debug_info]}.\n',
    'apps/rebar/src/rebar_core.erl': '-module(rebar_core).',
    'apps/rebar/src/rebar_app.erl': '-module(rebar_app).',
    'apps/rebar/test/rebar_core_SUITE.erl': '-module(rebar_core_SUITE).',
    'apps/rebar/rebar.config': '{deps, []}.\n',
    '.github/workflows/main.yml': workflowRunning('./bootstrap', './rebar3 ct'),
  });
  assert.ok(
    rebar.layers.some((l) => l.validate.some((v) => v.command === './rebar3 ct')),
    JSON.stringify(rebar.layers.map((l) => [l.name, l.validate])),
  );
  const shard = await censusOf({
    'shard.yml': 'name: shards\nversion: 0.1.0\ntargets:\n  shards:\n    main: src/shards.cr\n',
    Makefile: 'test:\n\tcrystal spec\n',
    'src/shards.cr': 'module Shards; end',
    'src/cli.cr': 'module Shards; end',
    'spec/unit/cli_spec.cr': 'describe "x" do; end',
    '.github/workflows/ci.yml': workflowRunning('make test', 'crystal tool format --check src spec'),
  });
  assert.ok(shard.layers.length > 0, 'a shard is code');
  assert.ok(
    shard.layers.every((l) => l.validate.some((v) => v.command === 'make test')),
    JSON.stringify(shard.layers.map((l) => [l.name, l.validate])),
  );
});
