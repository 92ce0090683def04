import assert from 'node:assert/strict';
import { test } from 'node:test';
import { censusOf, json, layer } from '../../support/census';

test("a code generator's template folders make no layer: their manifests are copied elsewhere, their files stay with the generator", async () => {
  const census = await censusOf({
    'package.json': json({ private: true, workspaces: ['packages/*'] }),
    'package-lock.json': '{}',
    'packages/create-acme/package.json': json({
      name: 'create-acme',
      bin: { 'create-acme': 'index.js' },
      scripts: { test: 'vitest run', lint: 'eslint .' },
    }),
    'packages/create-acme/index.js': 'console.log(1)',
    'packages/create-acme/src/cli.ts': 'export {}',
    'packages/create-acme/template-react-ts/package.json': json({
      name: 'acme-react-starter',
      scripts: { build: 'tsc && vite build', lint: 'eslint .' },
      dependencies: { react: '19', vite: '6' },
    }),
    'packages/create-acme/template-react-ts/src/App.tsx': 'export default function App() {}',
    'packages/create-acme/templates/api/pyproject.toml': '[project]\nname = "api"\ndependencies = ["fastapi"]\n',
    'packages/create-acme/templates/api/app/main.py': 'app = 1',
    'packages/acme-ui/package.json': json({ name: '@acme/ui', main: 'index.ts', scripts: { lint: 'eslint .' } }),
    'packages/acme-ui/index.ts': 'export {}',
    'generators/service/cookiecutter.json': '{"project_slug": "demo"}',
    'generators/service/{{cookiecutter.project_slug}}/pyproject.toml':
      '[project]\nname = "{{ cookiecutter.project_slug }}"\n{% if cookiecutter.use_ruff == "y" %}\n[tool.ruff]\n{% endif %}\n',
    'generators/service/{{cookiecutter.project_slug}}/{{cookiecutter.project_slug}}/__init__.py': '',
    'generators/service/{{cookiecutter.project_slug}}/tests/test_x.py': 'def test(): pass',
    'generators/service/hooks/post_gen_project.py': 'print(1)',
  });
  assert.deepEqual(census.layers.map((l) => l.name).sort(), ['acme-ui', 'create-acme', 'generators']);
  assert.deepEqual(layer(census, 'create-acme').owns, ['packages/create-acme/**']);
  assert.deepEqual(
    layer(census, 'create-acme').validate.map((v) => v.command),
    ['npm run lint -w packages/create-acme', 'npm run test -w packages/create-acme'],
  );
  assert.ok(!census.warnings.some((w) => /could not be read/.test(w)), census.warnings.join('\n'));
});

test('a cookiecutter repository: the template folder at the top belongs to the repository itself', async () => {
  const census = await censusOf({
    'cookiecutter.json': '{"project_slug": "demo"}',
    'hooks/post_gen_project.py': 'print(1)',
    'tests/test_bake.py': 'def test_bake(cookies): pass',
    'pyproject.toml':
      '[project]\nname = "acme-cookiecutter"\n[dependency-groups]\ndev = ["pytest-cookies", "pytest"]\n',
    '{{cookiecutter.project_slug}}/pyproject.toml': '[project]\nname = "{{ cookiecutter.project_slug }}"\n',
    '{{cookiecutter.project_slug}}/src/{{cookiecutter.project_slug}}/main.py': 'x = 1',
    '{{cookiecutter.project_slug}}/tests/test_main.py': 'def test(): pass',
    '{{cookiecutter.project_slug}}/tests/test_more.py': 'def test(): pass',
  });
  assert.deepEqual(
    census.layers.map((l) => l.name),
    ['acme-cookiecutter'],
  );
  assert.ok(
    layer(census, 'acme-cookiecutter').owns.includes('\\{\\{cookiecutter.project_slug\\}\\}/**'),
    layer(census, 'acme-cookiecutter').owns.join(', '),
  );
  assert.deepEqual(
    layer(census, 'acme-cookiecutter').validate.map((v) => v.command),
    ['pytest'],
  );
});
