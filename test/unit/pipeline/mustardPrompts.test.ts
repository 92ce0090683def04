// A feature on a project of Mustard's current generation (no entity registry): mustard.json's
// specLang reaches the spec agent, the grain model's conventions and each folder's CLAUDE.md
// guards reach the layer owning that folder (the root's reach every layer).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import { PRODUCT_SPEC } from '../../support/engine/fixtures';
import { productLayers, specAnswer } from '../../support/engine/agentScript';
import { harness, journalOf } from '../../support/engine/harness';

const GRAIN = {
  root: '\\\\?\\C:\\Users\\ana\\shop',
  languages: [{ language: 'javascript', files: 30, loc: 2100 }],
  frameworks: ['node'],
  modules: [
    { path: 'server\\services\\CustomerService.js', language: 'javascript', loc: 80, imports: [] },
    { path: 'web\\src\\screens\\CustomerScreen.js', language: 'javascript', loc: 60, imports: [] },
  ],
  graph: { nodes: 2, edges: [], cyclic: false, top_fan_in: ['server\\store.js'] },
  roles: [
    { affix: 'Service', kind: 'suffix', count: 7, common_dir: 'server/services', dirs: ['server/services'] },
    { affix: 'Screen', kind: 'suffix', count: 4, common_dir: 'web/src/screens', dirs: ['web/src/screens'] },
  ],
  conventions: [{ name: 'entity-services', roles: ['Service'], entities: ['Customer', 'Order'] }],
  projects: [
    { name: 'shop', dir: '', kind: 'npm', code_files: 2, frameworks: [], dependencies: [] },
    { name: 'api', dir: 'server', kind: 'npm', code_files: 20, frameworks: ['node:http'], dependencies: [] },
    { name: 'web', dir: 'web', kind: 'npm', code_files: 10, frameworks: [], dependencies: [] },
  ],
  shared_contracts: [],
  detected_stacks: ['node'],
};

const FILES = {
  'mustard.json': JSON.stringify(
    { git: { flow: 'trunk', provider: 'github' }, buildCommand: '<build command>', specLang: 'pt-BR', tone: 'direct' },
    null,
    2,
  ),
  '.claude/grain.model.json': JSON.stringify(GRAIN, null, 2),
  'CLAUDE.md':
    '# shop\n\n## Guards\n<!-- mustard:guards -->\n<!-- kind=npm; frameworks=node -->\n- Mensagens de commit em inglês.\n<!-- /mustard:guards -->\n',
  'server/CLAUDE.md':
    '# api\n\n## Guards\n<!-- mustard:guards -->\n<!-- kind=npm -->\n[critical] nunca logar preços em server/**\n<!-- /mustard:guards -->\n',
  'web/CLAUDE.md':
    '# web\n\n## Guards\n\nTelas usam request() de web/src/api.js, nunca fetch direto.\n\n## Links\n- none\n',
};

test('Mustard project without a registry: specLang to the spec agent, grain conventions and CLAUDE.md guards to the layer owning each folder', async () => {
  const h = await harness(
    { ...productLayers(), spec: specAnswer('Product entity', 'product', PRODUCT_SPEC) },
    // No entity registry, and no sync that would build one: the grain model is the project map.
    { files: FILES, config: (yaml) => yaml.replace(/^sync:.*$/m, 'sync: []') },
  );
  try {
    h.shop.git('rm', '-q', '.claude/entity-registry.json');
    h.shop.git('commit', '-q', '-m', 'no registry');
    const summary = await engine.runFeature(
      'Add a Product entity with a name and a price, listed on a screen',
      h.options(),
    );
    assert.equal(summary.status, 'completed', summary.error);
    assert.equal(h.api.scriptErrors.length, 0, h.api.scriptErrors.join('\n'));
    const request = (agent: string) => JSON.stringify(h.callsOf(agent)[0]!.req.body);

    const spec = request('spec');
    assert.match(spec, /## SPEC LANGUAGE\\nWrite the spec's prose .* in pt-BR/);
    assert.match(spec, /## PROJECT MAP \(from \.claude\/grain\.model\.json\)\\nStacks and frameworks: node/);
    assert.match(spec, /- api \(server; npm; node:http; 20 code files\)/);
    assert.match(spec, /- entity-services: roles Service; entities Customer, Order/);
    assert.match(spec, /Most imported modules \(change with care\): server\/store\.js/);
    assert.match(spec, /Mensagens de commit em inglês/, 'the root guards reach every agent');
    assert.doesNotMatch(spec, /nunca logar preços|nunca fetch direto/);

    const backend = request('backend');
    assert.match(
      backend,
      /## GUARDS \(the project's rules for the folders you work in; never break them\)\\nFrom CLAUDE\.md \(the whole repository\):\\n- Mensagens de commit em inglês\.\\n\\nFrom server\/CLAUDE\.md \(applies to server\/\):\\n\[critical\] nunca logar preços em server\/\*\*/,
    );
    assert.match(
      backend,
      /Naming conventions \(follow them for new files and types\):\\n- \*Service: 7 in the code, mostly in server\/services\//,
    );
    assert.doesNotMatch(backend, /\*Screen|nunca fetch direto/);

    const frontend = request('frontend');
    assert.match(
      frontend,
      /From web\/CLAUDE\.md \(applies to web\/\):\\nTelas usam request\(\) de web\/src\/api\.js, nunca fetch direto\./,
    );
    assert.match(frontend, /- \*Screen: 4 in the code, mostly in web\/src\/screens\//);
    assert.doesNotMatch(frontend, /\*Service|nunca logar preços|- none/);

    const database = request('database');
    assert.match(database, /Mensagens de commit em inglês/);
    assert.doesNotMatch(database, /PROJECT MAP|nunca logar preços|nunca fetch direto/);

    // A placeholder in mustard.json is a warning of the run, with where it is.
    const warnings = journalOf(h.shop, summary.runId)
      .filter((e) => e.type === 'log' && e.level === 'warn')
      .map((e) => String(e.message));
    assert.ok(
      warnings.some((w) =>
        /^mustard\.json:6:3 buildCommand: "<build command>" is the template's placeholder, not a command; ignored$/.test(
          w,
        ),
      ),
      warnings.join('\n'),
    );
  } finally {
    await h.close();
  }
});
