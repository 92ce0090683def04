import assert from 'node:assert/strict';
import { test } from 'node:test';
import { censusOf, commands, layer } from '../../support/census';

test("a root Gradle build's own scripts: the layer holding them runs the root build's task rather than nothing", async () => {
  const census = await censusOf({
    'settings.gradle.kts': 'rootProject.name = "notes"\ninclude(":app", ":core:data")\n',
    'build.gradle.kts': 'plugins { kotlin("jvm") version "2.0.0" apply false }\n',
    gradlew: '#!/bin/sh',
    'app/build.gradle.kts': 'plugins { application }\n',
    'app/src/main/kotlin/App.kt': 'fun main() {}',
    'core/data/build.gradle.kts': 'plugins { kotlin("jvm") }\n',
    'core/data/src/main/kotlin/Repo.kt': 'class Repo',
  });
  const root = census.layers.find((l) => l.owns.includes('settings.gradle.kts'));
  assert.ok(root, census.layers.map((l) => `${l.name}: ${l.owns.join(' ')}`).join('\n'));
  assert.deepEqual(
    root.validate.map((v) => v.command),
    ['./gradlew check'],
  );
  assert.ok(
    !census.warnings.some((w) => w.includes(`layer ${root.name}:`) && /no validate command/.test(w)),
    census.warnings.join('\n'),
  );
});

test('platform folders of their own (swift/apple beside rust/ and kotlin/android) are owned: an Xcode project is the mobile layer, a Swift package inside it tests itself', async () => {
  const census = await censusOf({
    'rust/Cargo.toml': '[workspace]\nmembers = ["connlib"]\n',
    'rust/connlib/Cargo.toml': '[package]\nname = "connlib"\n',
    ...Object.fromEntries(
      [
        'lib',
        'a',
        'b',
        'c',
        'd',
        'e',
        'f',
        'g',
        'h',
        'i',
        'j',
        'k',
        'l',
        'm',
        'n',
        'o',
        'p',
        'q',
        'r',
        's',
        't',
        'u',
        'v',
        'w',
      ].map((n) => [`rust/connlib/src/${n}.rs`, '']),
    ),
    'kotlin/android/settings.gradle.kts': 'include(":app")\n',
    'kotlin/android/gradlew': '#!/bin/sh',
    'kotlin/android/app/build.gradle.kts': 'plugins { id("com.android.application") }\n',
    'kotlin/android/app/src/main/java/dev/acme/Main.kt': 'class Main',
    'swift/apple/Acme.xcodeproj/project.pbxproj':
      '// !$*UTF8*$!\n{\n\tobjects = {\n\t\tbuildSettings = {\n\t\t\tSDKROOT = iphoneos;\n\t\t};\n\t};\n}\n',
    'swift/apple/Acme/AcmeApp.swift': 'import SwiftUI',
    'swift/apple/AcmeNetworkExtension/PacketTunnelProvider.swift': 'import NetworkExtension',
    'swift/apple/AcmeKit/Package.swift':
      '// swift-tools-version:5.9\nimport PackageDescription\nlet package = Package(\n  name: "AcmeKit",\n  targets: [.target(name: "AcmeKit"), .testTarget(name: "AcmeKitTests", dependencies: ["AcmeKit"])]\n)\n',
    'swift/apple/AcmeKit/Sources/AcmeKit/Store.swift': 'public final class Store {}',
    'swift/apple/AcmeKit/Tests/AcmeKitTests/StoreTests.swift': 'import XCTest',
  });
  for (const file of [
    'swift/apple/Acme/AcmeApp.swift',
    'swift/apple/AcmeNetworkExtension/PacketTunnelProvider.swift',
    'swift/apple/AcmeKit/Sources/AcmeKit/Store.swift',
  ])
    assert.ok(!census.unowned.includes(file), `${file} is owned`);
  const apple = layer(census, 'apple');
  assert.equal(apple.role, 'mobile');
  assert.ok(apple.owns.includes('swift/apple/AcmeNetworkExtension/**'), apple.owns.join(', '));
  assert.deepEqual(commands(census, 'AcmeKit'), ['cd swift/apple/AcmeKit && swift test']);
  assert.deepEqual(commands(census, 'app'), ['cd kotlin/android && ./gradlew :app:assembleDebug']);
});

test('a platform folder no manifest we read claims (an XcodeGen project.yml, a CMake windows/) is still a layer’s, even when the rest is 90 % owned', async () => {
  const census = await censusOf({
    ...Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`rust/connlib/src/m${i}.rs`, ''])),
    'rust/Cargo.toml': '[workspace]\nmembers = ["connlib"]\n',
    'rust/connlib/Cargo.toml': '[package]\nname = "connlib"\n',
    'swift/apple/project.yml': 'name: Acme\n',
    'swift/apple/Acme/AcmeApp.swift': 'import SwiftUI',
    'swift/apple/AcmeNetworkExtension/PacketTunnelProvider.swift': 'import NetworkExtension',
    'windows/main.cpp': 'int main() {}',
  });
  assert.deepEqual(census.unowned, []);
  assert.deepEqual(layer(census, 'mobile').owns, ['swift/apple/**']);
  assert.deepEqual(layer(census, 'windows').owns, ['windows/**']);
});

test("a platform folder checked through mise's monorepo tasks (`mise run //clients/mac:test`): the folder's layers run them there, the Swift package inside too", async () => {
  const workflow = (run: string) =>
    `on: push\njobs:\n  mac:\n    runs-on: macos-latest\n    steps:\n      - run: mise install\n      - run: ${run}\n`;
  const files: Record<string, string> = {
    'mise.toml':
      'monorepo_root = true\n\n[monorepo]\nconfig_roots = ["clients/mac", "engine"]\n\n[tasks.lint]\nrun = "pre-commit run --all-files"\n',
    'clients/mac/mise.toml': '[task_config]\nincludes = ["mise-tasks"]\n',
    'clients/mac/mise-tasks/test.sh': '',
    'clients/mac/mise-tasks/release.sh': '',
    'clients/mac/Mac.xcodeproj/project.pbxproj': '',
    'clients/mac/Mac/AppDelegate.swift': '',
    'clients/mac/Mac/Menu.swift': '',
    'clients/mac/Shared/Package.swift': '// swift-tools-version:5.9\n',
    'engine/Cargo.toml': '[package]\nname = "engine"\nversion = "0.1.0"\n',
    'engine/src/lib.rs': '',
    '.github/workflows/mac.yml': workflow('mise run //clients/mac:test'),
    '.github/workflows/release.yml': workflow('mise run //clients/mac:release'),
    '.github/workflows/engine.yml': workflow('cd engine && cargo test'),
  };
  for (let i = 0; i < 8; i++) files[`clients/mac/Shared/Sources/Shared/Part${i}.swift`] = '';
  const census = await censusOf(files);
  const mac = census.layers.filter((l) => l.owns.some((g) => g.startsWith('clients/mac')));
  assert.equal(
    mac.length,
    2,
    JSON.stringify(census.layers.map((l) => [l.name, l.owns, l.validate.map((v) => v.command)])),
  );
  for (const l of mac)
    assert.deepEqual(
      l.validate.map((v) => v.command),
      ['cd clients/mac && mise run test'],
      l.name,
    );
});
