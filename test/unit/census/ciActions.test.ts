import assert from 'node:assert/strict';
import { test } from 'node:test';
import { censusOf, commands } from '../../support/census';

const workflow = (...steps: string[]) =>
  ['on: push', 'jobs:', '  ci:', '    runs-on: ubuntu-latest', '    steps:', ...steps].join('\n');

test('check Actions with no `run:` are the commands they run: golangci-lint in its working-directory (not when only installed), buf lint of its input', async () => {
  const census = await censusOf({
    'go.mod': 'module example.com/app\n\ngo 1.22\n',
    'main.go': 'package main',
    'proto/greet/v1/greet.proto': 'syntax = "proto3";',
    'tools/go.mod': 'module example.com/app/tools\n\ngo 1.22\n',
    'tools/gen.go': 'package tools',
    '.github/workflows/lint.yml': workflow(
      '      - uses: actions/checkout@v4',
      '      - uses: golangci/golangci-lint-action@v9',
      '        with:',
      '          version: v2.9.0',
      '          working-directory: tools',
      '          args: --timeout=5m',
      '      - uses: golangci/golangci-lint-action@v6',
      '        with:',
      '          args: --help',
      '      - uses: bufbuild/buf-lint-action@v1',
      '        with:',
      '          input: proto',
      '          buf_token: ${{ secrets.BUF_TOKEN }}',
    ),
  });
  assert.deepEqual(commands(census, 'tools'), ['cd tools && golangci-lint run --timeout=5m']);
  assert.deepEqual(
    commands(census, 'app'),
    ['buf lint proto'],
    'the action downloading golangci-lint (`--help`) checks nothing',
  );
});

test("r-lib's check-r-package is rcmdcheck with its inputs, failing on a warning; julia-runtest is Pkg.test() in its project", async () => {
  const r = await censusOf({
    DESCRIPTION: 'Package: glue\nTitle: Strings\n',
    'R/glue.R': 'glue <- function() NULL',
    'tests/testthat/test-glue.R': 'test_that("x", {})',
    '.github/workflows/R-CMD-check.yaml': workflow(
      '      - uses: r-lib/actions/setup-r-dependencies@v2',
      '        with:',
      '          extra-packages: any::rcmdcheck',
      '      - uses: r-lib/actions/check-r-package@v2',
      '        with:',
      '          upload-snapshots: true',
      `          build_args: 'c("--no-manual","--compact-vignettes=gs+qpdf")'`,
    ),
  });
  assert.deepEqual(commands(r, 'glue'), [
    `Rscript -e 'rcmdcheck::rcmdcheck(args = c("--no-manual", "--as-cran"), build_args = c("--no-manual","--compact-vignettes=gs+qpdf"), error_on = "warning")'`,
  ]);
  const julia = await censusOf({
    'Project.toml': 'name = "Parsers"\nuuid = "69de0a69-1ddd-5017-9359-2bf0b02dc9f0"\n',
    'src/Parsers.jl': 'module Parsers end',
    'lib/Sub/Project.toml': 'name = "Sub"\nuuid = "11111111-1ddd-5017-9359-2bf0b02dc9f0"\n',
    'lib/Sub/src/Sub.jl': 'module Sub end',
    '.github/workflows/ci.yml': workflow(
      '      - uses: julia-actions/julia-buildpkg@v1',
      '      - uses: julia-actions/julia-runtest@v1',
      '      - uses: julia-actions/julia-runtest@v1',
      '        with:',
      '          project: lib/Sub',
    ),
  });
  assert.deepEqual(commands(julia, 'Parsers'), [`julia --project -e 'using Pkg; Pkg.test()'`]);
  assert.deepEqual(commands(julia, 'Sub'), [`cd lib/Sub && julia --project -e 'using Pkg; Pkg.test()'`]);
});
