import assert from 'node:assert/strict';
import { test } from 'node:test';
import { includedPaths } from '../../../src/core/census/manifests/workspaces';
import { censusOf, commands, json } from '../../support/census';

test('Gradle multi-module Kotlin: every module runs its own task, a module the settings include without a build file too', async () => {
  const census = await censusOf({
    'settings.gradle.kts': 'rootProject.name = "tracker"\ninclude(\n  ":app",\n  ":core",\n  ":feature:home",\n)\n',
    'build.gradle.kts':
      'plugins { kotlin("jvm") version "2.0.0" apply false }\nsubprojects { apply(plugin = "org.jetbrains.kotlin.jvm") }\n',
    gradlew: '#!/bin/sh',
    'app/build.gradle.kts': 'plugins { application }\ndependencies { implementation(project(":core")) }\n',
    'app/src/main/kotlin/App.kt': 'fun main() {}',
    'app/src/test/kotlin/AppTest.kt': 'class AppTest',
    // Configured from the root's subprojects {}: no build file of its own.
    'core/src/main/kotlin/Core.kt': 'object Core',
    'core/src/test/kotlin/CoreTest.kt': 'class CoreTest',
    'feature/home/build.gradle.kts': 'dependencies { implementation(project(":core")) }\n',
    'feature/home/src/main/kotlin/Home.kt': 'object Home',
    '.github/workflows/ci.yml':
      'jobs:\n  b:\n    steps:\n      - uses: actions/setup-java@v4\n      - run: ./gradlew clean test\n      - run: ./gradlew detekt\n',
  });
  assert.deepEqual(commands(census, 'core'), ['./gradlew :core:test', './gradlew :core:detekt']);
  assert.deepEqual(commands(census, 'app'), ['./gradlew :app:test', './gradlew :app:detekt']);
  assert.deepEqual(commands(census, 'home'), ['./gradlew :feature:home:test', './gradlew :feature:home:detekt']);
  assert.deepEqual(includedPaths("include ':app', ':lib'\ninclude(\"server\") // the API\n"), [
    ':app',
    ':lib',
    'server',
  ]);
});

test('a Gradle build rooted in a folder of its own: its modules run its wrapper from there, each its own task', async () => {
  const files = {
    'backend/settings.gradle.kts': 'rootProject.name = "api"\ninclude("domain", "web")\n',
    'backend/build.gradle.kts': 'plugins { id("org.springframework.boot") version "3.3.0" apply false }\n',
    'backend/gradlew': '#!/bin/sh',
    'backend/domain/build.gradle.kts': 'plugins { kotlin("jvm") }\n',
    'backend/domain/src/main/kotlin/Domain.kt': 'object Domain',
    'backend/domain/src/test/kotlin/DomainTest.kt': 'class DomainTest',
    'backend/web/build.gradle.kts':
      'plugins { id("org.springframework.boot") }\ndependencies { implementation(project(":domain")); implementation("org.springframework.boot:spring-boot-starter-web") }\n',
    'backend/web/src/main/kotlin/Web.kt': 'object Web',
    'frontend/package.json': json({
      name: 'web',
      scripts: { lint: 'eslint .' },
      dependencies: { react: '19', vite: '6' },
    }),
    'frontend/src/main.tsx': 'x',
  };
  const bare = await censusOf(files);
  assert.deepEqual(commands(bare, 'domain'), ['cd backend && ./gradlew :domain:test']);
  assert.deepEqual(commands(bare, 'web'), ['cd backend && ./gradlew :web:check']);
  const ci = await censusOf({
    ...files,
    '.github/workflows/ci.yml':
      'jobs:\n  b:\n    defaults:\n      run:\n        working-directory: backend\n    steps:\n      - run: ./gradlew build\n',
  });
  assert.deepEqual(commands(ci, 'domain'), ['cd backend && ./gradlew :domain:build']);
  assert.deepEqual(commands(ci, 'web'), ['cd backend && ./gradlew :web:build']);
});

test('a uv workspace with a virtual root and a Makefile: each member runs what the target runs, in its own folder, never `make test` copied to each', async () => {
  const census = await censusOf({
    'pyproject.toml':
      '[tool.uv.workspace]\nmembers = ["libs/*", "apps/*"]\n\n[dependency-groups]\ndev = ["pytest", "ruff"]\n',
    'uv.lock': '',
    'libs/models/pyproject.toml': '[project]\nname = "models"\nversion = "0.1.0"\n',
    'libs/models/src/models/__init__.py': '',
    'libs/models/tests/test_models.py': 'def test_m(): pass',
    'apps/api/pyproject.toml':
      '[project]\nname = "api"\nversion = "0.1.0"\ndependencies = ["fastapi", "models"]\n\n[tool.uv.sources]\nmodels = { workspace = true }\n',
    'apps/api/src/api/main.py': 'app = 1',
    'apps/api/tests/test_api.py': 'def test_a(): pass',
    Makefile: 'test:\n\tuv run pytest\n\nlint:\n\tuv run ruff check .\n',
  });
  assert.deepEqual(census.layers.map((l) => l.name).sort(), ['backend', 'models'], 'the virtual root is no layer');
  assert.deepEqual(commands(census, 'backend'), ['cd apps/api && uv run pytest', 'cd apps/api && uv run ruff check .']);
  assert.deepEqual(commands(census, 'models'), [
    'cd libs/models && uv run pytest',
    'cd libs/models && uv run ruff check .',
  ]);
  assert.match(census.layers[0]!.validate[0]!.origin, /^Makefile \(make test\)$/);
});

test('a Cargo workspace in a folder of its own (rust/ beside the platform folders): each crate gets its own -p, run from there', async () => {
  const census = await censusOf({
    'rust/Cargo.toml': '[workspace]\nmembers = ["connlib", "relay"]\n',
    'rust/connlib/Cargo.toml': '[package]\nname = "connlib"\n',
    'rust/connlib/src/lib.rs': '',
    'rust/relay/Cargo.toml': '[package]\nname = "relay"\n',
    'rust/relay/src/main.rs': '',
    '.github/workflows/ci.yml':
      'jobs:\n  r:\n    defaults:\n      run:\n        working-directory: rust\n    steps:\n      - run: cargo test --all-features\n',
  });
  assert.deepEqual(commands(census, 'connlib'), ['cd rust && cargo test -p connlib --all-features']);
  assert.deepEqual(commands(census, 'relay'), ['cd rust && cargo test -p relay --all-features']);
  const bare = await censusOf({
    'rust/Cargo.toml': '[workspace]\nmembers = ["connlib"]\n',
    'rust/connlib/Cargo.toml': '[package]\nname = "connlib"\n',
    'rust/connlib/src/lib.rs': '',
  });
  assert.deepEqual(commands(bare, 'connlib'), ['cd rust && cargo check -p connlib']);
});

test('a Gradle module its settings put elsewhere (projectDir) runs under its own path, from CI as from its manifest', async () => {
  const files = {
    'settings.gradle.kts':
      'rootProject.name = "acme"\ninclude(":app", ":shared")\nproject(":app").projectDir = file("clients/android")\nproject(":shared").projectDir = file("libs/shared-kotlin")\n',
    gradlew: '#!/bin/sh',
    'clients/android/build.gradle.kts':
      'plugins { id("com.android.application") }\ndependencies { implementation(project(":shared")) }\n',
    'clients/android/src/main/kotlin/Main.kt': 'class Main',
    'clients/android/src/test/kotlin/MainTest.kt': 'class MainTest',
    'libs/shared-kotlin/src/main/kotlin/Shared.kt': 'object Shared',
  };
  const bare = await censusOf(files);
  assert.deepEqual(commands(bare, 'mobile'), ['./gradlew :app:testDebugUnitTest']);
  assert.deepEqual(commands(bare, 'shared-kotlin'), ['./gradlew :shared:check']);
  const ci = await censusOf({
    ...files,
    '.github/workflows/ci.yml':
      'jobs:\n  b:\n    steps:\n      - run: ./gradlew :app:lintDebug\n      - run: ./gradlew check\n',
  });
  assert.deepEqual(commands(ci, 'mobile'), ['./gradlew :app:lintDebug', './gradlew :app:check']);
  assert.deepEqual(commands(ci, 'shared-kotlin'), ['./gradlew :shared:check']);
});

test("Maven modules two aggregators deep are the top module's: one layer selecting it with `-amd`; a module one aggregator deep keeps its own", async () => {
  const pom = (artifact: string, modules: string[] = []) =>
    `<project><modelVersion>4.0.0</modelVersion><artifactId>${artifact}</artifactId>${modules.length > 0 ? `<packaging>pom</packaging><modules>${modules.map((m) => `<module>${m}</module>`).join('')}</modules>` : ''}</project>`;
  const census = await censusOf({
    'pom.xml': pom('shop', ['core', 'services', 'checks']),
    'core/pom.xml': pom('shop-core'),
    'core/src/main/java/shop/Cart.java': '',
    'core/src/test/java/shop/CartTest.java': '',
    'services/pom.xml': pom('shop-services', ['billing']),
    'services/billing/pom.xml': pom('shop-billing'),
    'services/billing/src/main/java/shop/Billing.java': '',
    'checks/pom.xml': pom('shop-checks', ['plugin', 'load']),
    'checks/load/pom.xml': pom('shop-load'),
    'checks/load/src/test/java/shop/LoadTest.java': '',
    'checks/plugin/pom.xml': pom('shop-plugin', ['api', 'web']),
    'checks/plugin/api/pom.xml': pom('shop-plugin-api'),
    'checks/plugin/api/src/main/java/shop/Plugin.java': '',
    'checks/plugin/api/src/test/java/shop/PluginTest.java': '',
    'checks/plugin/web/pom.xml': pom('shop-plugin-web'),
    'checks/plugin/web/src/main/java/shop/Page.java': '',
    '.github/workflows/ci.yml':
      'on: push\njobs:\n  ci:\n    runs-on: ubuntu-latest\n    steps:\n      - run: mvn test --batch-mode\n',
  });
  const checks = census.layers.filter((l) => l.owns.some((g) => g.startsWith('checks/')));
  assert.equal(checks.length, 1, JSON.stringify(census.layers.map((l) => [l.name, l.owns])));
  assert.deepEqual(
    checks[0]!.validate.map((v) => v.command),
    ['mvn -pl checks -amd test --batch-mode'],
  );
  assert.deepEqual(commands(census, 'billing'), ['mvn -pl services/billing test --batch-mode']);
});

test("a Maven reactor CI runs with `-f service/pom.xml`: its modules are selected from that pom's folder (`-pl annotations`), a module outside it gets none of it", async () => {
  const pom = (artifact: string, modules: string[] = []) =>
    `<project><modelVersion>4.0.0</modelVersion><artifactId>${artifact}</artifactId>${modules.length > 0 ? `<packaging>pom</packaging><modules>${modules.map((m) => `<module>${m}</module>`).join('')}</modules>` : ''}</project>`;
  const census = await censusOf({
    'build-pom.xml': pom('aggregator', ['value', 'service']),
    'value/pom.xml': pom('value'),
    'value/src/main/java/auto/Value.java': '',
    'service/pom.xml': pom('service-aggregator', ['annotations', 'processor']),
    'service/annotations/pom.xml': pom('service-annotations'),
    'service/annotations/src/main/java/auto/Service.java': '',
    'service/processor/pom.xml': pom('service-processor'),
    'service/processor/src/main/java/auto/Processor.java': '',
    'service/processor/src/test/java/auto/ProcessorTest.java': '',
    '.github/workflows/ci.yml':
      'on: push\njobs:\n  ci:\n    runs-on: ubuntu-latest\n    steps:\n      - run: mvn -B verify -f service/pom.xml\n',
  });
  assert.deepEqual(commands(census, 'annotations'), ['mvn -pl annotations -B verify -f service/pom.xml']);
  assert.deepEqual(commands(census, 'processor'), ['mvn -pl processor -B verify -f service/pom.xml']);
  assert.deepEqual(
    commands(census, 'value'),
    ['mvn -q -B compile'].map((c) => `cd value && ${c}`),
  );
});
