// CMake, matrix values with a default or inside an object list, and Maven goals that only build docs
// (issue 75, the stop-82 held-out look: a C++ library built in `build/` and a Maven build over a JDK matrix).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeCheck } from '../../../src/core/census/commands/checkCommands';
import { censusOf } from '../../support/census';

const validates = (census: Awaited<ReturnType<typeof censusOf>>) =>
  JSON.stringify(census.layers.map((l) => [l.name, l.owns, l.validate.map((v) => v.command)]));

const LIB = {
  'CMakeLists.txt':
    'cmake_minimum_required(VERSION 3.11)\nproject(logkit VERSION 1.0 LANGUAGES CXX)\n# tests\noption(LOGKIT_BUILD_TESTS "Build tests" OFF)\nadd_library(logkit src/logkit.cpp)\nif(LOGKIT_BUILD_TESTS)\n  enable_testing()\n  add_subdirectory(tests)\nendif()\nadd_subdirectory(example)\n',
  'src/logkit.cpp': 'int f() { return 1; }',
  'include/logkit/logkit.h': '#pragma once',
  'tests/CMakeLists.txt':
    'add_executable(logkit-tests test_main.cpp)\nadd_test(NAME logkit-tests COMMAND logkit-tests)\n',
  'tests/test_main.cpp': 'int main() {}',
  'example/CMakeLists.txt':
    'cmake_minimum_required(VERSION 3.11)\nproject(logkit_example CXX)\nadd_executable(example example.cpp)\n',
  'example/example.cpp': 'int main() {}',
};

test('a CMakeLists.txt with project() is one project, its add_subdirectory lists included; without CI it is configured into build/, built and tested with the option that gates its tests set on', async () => {
  const census = await censusOf(LIB);
  assert.equal(census.layers.length, 1, validates(census));
  const [layer] = census.layers;
  assert.ok(
    ['src/**', 'include/**', 'tests/**', 'example/**'].every((g) => layer!.owns.includes(g)),
    validates(census),
  );
  assert.deepEqual(
    layer!.validate.map((v) => v.command),
    [
      'cmake -S . -B build -DLOGKIT_BUILD_TESTS=ON && cmake --build build && ctest --test-dir build --output-on-failure',
    ],
  );
});

test("CI's `mkdir build && cd build`, `cmake ..`, `make`, `ctest` is written from the source folder with its configure in front (the build folder does not exist in a fresh work tree); a -D value CI computes is left to CMake's default", async () => {
  const census = await censusOf({
    ...LIB,
    '.github/workflows/ci.yml': [
      'on: [push]',
      'jobs:',
      '  build_linux:',
      '    runs-on: ubuntu-latest',
      '    strategy:',
      '      matrix:',
      '        config:',
      '          - { compiler: gcc, build_type: Release }',
      '          - { compiler: clang, build_type: Debug, asan: OFF }',
      '    steps:',
      '      - uses: actions/checkout@v4',
      '      - run: |',
      '          mkdir -p build && cd build',
      '          cmake .. \\',
      '            -DCMAKE_BUILD_TYPE=${{ matrix.config.build_type }} \\',
      "            -DLOGKIT_SANITIZE=${{ matrix.config.asan || 'ON' }} \\",
      '            -DLOGKIT_OPTIMIZE=${{ secrets.LEVEL }} \\',
      '            -DLOGKIT_BUILD_TESTS=ON',
      '          make -j2',
      '          ctest -j2 --output-on-failure',
      '',
    ].join('\n'),
  });
  const commands = census.layers.flatMap((l) => l.validate.map((v) => v.command));
  assert.ok(
    commands.includes(
      'cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DLOGKIT_SANITIZE=ON -DLOGKIT_BUILD_TESTS=ON && cmake --build build && ctest --test-dir build -j2 --output-on-failure',
    ),
    validates(census),
  );
  assert.ok(!commands.some((c) => c.includes('${{') || /^cd build\b/.test(c)), validates(census));
});

test('`cmake -B out` then `cmake --build out` and `ctest --test-dir out` in the source folder keep that folder', async () => {
  const census = await censusOf({
    ...LIB,
    '.github/workflows/ci.yml': [
      'on: [push]',
      'jobs:',
      '  test:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: cmake -S . -B out -G Ninja -DLOGKIT_BUILD_TESTS=ON',
      '      - run: cmake --build out --parallel',
      '      - run: ctest --test-dir out',
      '',
    ].join('\n'),
  });
  const commands = census.layers.flatMap((l) => l.validate.map((v) => v.command));
  assert.ok(
    commands.includes(
      'cmake -S . -B out -G Ninja -DLOGKIT_BUILD_TESTS=ON && cmake --build out && ctest --test-dir out',
    ),
    validates(census),
  );
});

test("Maven: goals that only build docs or reports beside the check are left out as clean is (`mvn verify javadoc:jar` → `mvn verify`); a plugin's check goal with an execution id and a profile's value are read; deploy stays none", () => {
  assert.equal(normalizeCheck('mvn verify javadoc:jar')?.command, 'mvn verify');
  assert.equal(normalizeCheck('mvn clean test --projects gson --activate-profiles gson-subset')?.kind, 'test');
  assert.equal(normalizeCheck('mvn compile animal-sniffer:check@check-android-compatibility')?.kind, 'build');
  assert.equal(normalizeCheck('mvn deploy javadoc:jar'), undefined);
});

test("a step over `${{ matrix.extra-args || '' }}` is read: each combination's value, or the default where a combination sets none", async () => {
  const census = await censusOf({
    'pom.xml': '<project><modelVersion>4.0.0</modelVersion><artifactId>kit</artifactId></project>',
    'src/main/java/kit/Kit.java': 'class Kit {}',
    'src/test/java/kit/KitTest.java': 'class KitTest {}',
    '.github/workflows/build.yml': [
      'on: [push]',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    strategy:',
      '      matrix:',
      '        java: [17, 21]',
      '        include:',
      '          - java: 11',
      '            extra-args: -Denforcer.fail=false',
      '    steps:',
      "      - run: mvn verify javadoc:jar ${{ matrix.extra-args || '' }}",
      '',
    ].join('\n'),
  });
  const commands = census.layers.flatMap((l) => l.validate.map((v) => v.command));
  assert.ok(commands.includes('mvn verify'), validates(census));
  assert.ok(!commands.some((c) => c.includes('${{')), validates(census));
});
