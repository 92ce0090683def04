import { test } from 'node:test';
import assert from 'node:assert/strict';
import { discover } from '../../../src/core/pipeline/audit/discovery';
import { parseManifest } from '../../../src/core/pipeline/audit/manifests';
import { parseConfig } from '../../../src/core/project/config/config';
import { tempWorkspace } from '../../support/tempWorkspace';

const names = (deps: { name: string; version?: string; dev?: boolean }[]) =>
  deps.map((d) => `${d.name}${d.version ? `@${d.version}` : ''}${d.dev ? ' (dev)' : ''}`);

test('manifests: package.json, *.csproj, requirements.txt, pyproject.toml, go.mod, Cargo.toml, __manifest__.py', async () => {
  assert.deepEqual(
    names(
      await parseManifest(
        'package.json',
        '{"dependencies":{"express":"^4.19.2"},"devDependencies":{"vitest":"2.1.0"}}',
      ),
    ),
    ['express@^4.19.2', 'vitest@2.1.0 (dev)'],
  );
  const csproj = `<Project Sdk="Microsoft.NET.Sdk">
  <ItemGroup>
    <PackageReference Include="Microsoft.EntityFrameworkCore" Version="8.0.4" />
    <PackageReference Include="Serilog">
      <Version>3.1.1</Version>
    </PackageReference>
    <ProjectReference Include="..\\Core\\Core.csproj" />
  </ItemGroup>
</Project>`;
  assert.deepEqual(names(await parseManifest('src/Api/Api.csproj', csproj)), [
    'Microsoft.EntityFrameworkCore@8.0.4',
    'Serilog@3.1.1',
  ]);
  const requirements =
    '# pinned\nfastapi==0.110.0\npydantic[email]>=2.6 ; python_version >= "3.10"\n-r base.txt\n\nredis  # cache\n';
  assert.deepEqual(names(await parseManifest('requirements-dev.txt', requirements)), [
    'fastapi@==0.110.0',
    'pydantic@>=2.6',
    'redis',
  ]);
  const pyproject = `[project]\nname = "ai_service"\ndependencies = ["fastapi>=0.110", "httpx"]\n[project.optional-dependencies]\ntest = ["pytest>=8"]\n[tool.poetry.dependencies]\npython = "^3.11"\nredis = { version = "^5.0" }\n`;
  assert.deepEqual(names(await parseManifest('pyproject.toml', pyproject)), [
    'fastapi@>=0.110',
    'httpx',
    'pytest@>=8 (dev)',
    'redis@^5.0',
  ]);
  const gomod =
    'module example.com/shop\n\ngo 1.22\n\nrequire github.com/go-chi/chi/v5 v5.0.12\n\nrequire (\n\tgithub.com/lib/pq v1.10.9\n\tgolang.org/x/sys v0.20.0 // indirect\n)\n';
  assert.deepEqual(names(await parseManifest('go.mod', gomod)), [
    'github.com/go-chi/chi/v5@v5.0.12',
    'github.com/lib/pq@v1.10.9',
    'golang.org/x/sys@v0.20.0 (dev)',
  ]);
  const cargo =
    '[package]\nname = "shop"\n[dependencies]\nserde = { version = "1.0", features = ["derive"] }\ntokio = "1"\n[dev-dependencies]\ninsta = "1.39"\n';
  assert.deepEqual(names(await parseManifest('Cargo.toml', cargo)), ['serde@1.0', 'tokio@1', 'insta@1.39 (dev)']);
  assert.deepEqual(
    names(await parseManifest('addons/ai/__manifest__.py', "{\n  'name': 'AI',\n  'depends': ['base', \"mail\"],\n}")),
    ['base', 'mail'],
  );
  await assert.rejects(parseManifest('Cargo.toml', '[dependencies\nserde = "1"'), /line 1|Invalid|expected/i);
});

test('discovery: files, lines of code, languages, owning layers and the manifests above the target; broken ones are warnings', async () => {
  const ws = await tempWorkspace({
    '.gitignore': 'build/\n',
    'package.json': '{"dependencies":{"express":"4.19.2"}}',
    'server/app.js': "'use strict';\n\nconst x = 1;\n// comment\n",
    'server/lib/util.ts': 'export const a = 1;\n',
    'server/lib/data.bin': Buffer.from([0, 1, 2, 0]).toString('latin1'),
    'server/build/out.js': 'ignored();\n',
    'server/requirements.txt': 'flask==3.0\n',
    'server/Cargo.toml': '[dependencies\n',
    'server/.env': 'SECRET=1\n',
    'web/main.js': 'x();\n',
  });
  try {
    const config = parseConfig(
      'layers:\n  backend: { owns: ["server/**"] }\n  frontend: { owns: ["web/**"] }\nprivacy:\n  deny: [".env*"]\n',
    );
    const d = await discover(ws.dir, config, 'server');
    assert.deepEqual(
      d.listing.map((f) => [f.path, f.lines]),
      [
        ['server/Cargo.toml', 1],
        ['server/app.js', 4],
        ['server/lib/data.bin', 0],
        ['server/lib/util.ts', 1],
        ['server/requirements.txt', 1],
      ],
    );
    assert.equal(d.files, 5);
    assert.equal(d.loc, 6, 'non-blank lines of the text files');
    assert.deepEqual(
      d.languages.map((l) => [l.language, l.files, l.loc]),
      [
        ['JavaScript', 1, 3],
        ['TOML', 1, 1],
        ['TypeScript', 1, 1],
        ['Other', 2, 1],
      ],
    );
    assert.deepEqual(d.layers, [{ layer: 'backend', files: 5 }]);
    assert.equal(d.unowned, 0);
    assert.deepEqual(
      d.dependencies.map((dep) => `${dep.manifest}:${dep.name}`),
      ['server/requirements.txt:flask', 'package.json:express'],
    );
    assert.equal(d.warnings.length, 2);
    assert.match(d.warnings.join('\n'), /server\/Cargo\.toml: not read/);
    assert.match(d.warnings.join('\n'), /1 binary or very large file/);

    const whole = await discover(ws.dir, config, '.');
    assert.deepEqual(whole.layers, [
      { layer: 'backend', files: 5 },
      { layer: 'frontend', files: 1 },
    ]);
    assert.equal(whole.unowned, 2, '.gitignore and package.json');
    const file = await discover(ws.dir, config, 'server/app.js');
    assert.equal(file.files, 1);
    assert.deepEqual(
      file.dependencies.map((dep) => dep.name),
      ['flask', 'express'],
      'the manifests of its folder and above',
    );
  } finally {
    await ws.cleanup();
  }
});
