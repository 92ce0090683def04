// CI scripts that loop over folders (issue 75): a matrix's folders given to a `for` loop, each entered
// in a subshell, are each their own project's check; the script's folder after the loop is unchanged.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { censusOf } from '../../support/census';

test('a job looping over its matrix\'s folders (`for dir in ${{ matrix.dirs }}; do (cd "$dir" && bundle exec rake test); done`) checks each folder; a subshell\'s cd ends with it', async () => {
  const gem = (name: string) => ({
    [`${name}/${name}.gemspec`]: `Gem::Specification.new do |s|\n  s.name = "${name}"\nend\n`,
    [`${name}/Gemfile`]: 'source "https://rubygems.org"\ngemspec\n',
    [`${name}/Rakefile`]: 'task default: :test\n',
    [`${name}/lib/${name}.rb`]: 'module X; end\n',
    [`${name}/test/${name}_test.rb`]: 'require "minitest"\n',
  });
  const census = await censusOf({
    ...gem('core'),
    ...gem('client'),
    'README.md': '# gems\n',
    '.github/workflows/ci.yml': [
      'jobs:',
      '  test:',
      '    runs-on: ubuntu-latest',
      '    strategy:',
      '      matrix:',
      '        dirs: ["core client"]',
      '    steps:',
      '      - uses: ruby/setup-ruby@v1',
      '      - run: |',
      '          for dir in ${{ matrix.dirs }}; do',
      '            (cd "$dir" && bundle install && bundle exec rake test)',
      '          done',
      '          bundle exec rubocop',
    ].join('\n'),
  });
  const byDir = Object.fromEntries(census.layers.map((l) => [l.dirs.join(','), l.validate.map((v) => v.command)]));
  assert.deepEqual(byDir.core, ['cd core && bundle exec rake test']);
  assert.deepEqual(byDir.client, ['cd client && bundle exec rake test']);
  // After the loop the script is back at the root: rubocop is not given to the last folder.
  assert.ok(!byDir.client?.some((c) => c.includes('rubocop')), JSON.stringify(byDir));
});
