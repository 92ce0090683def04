// What the reviewer sees of a code artifact: a diff against the workspace file, read through
// the agents' guard.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../../src/core/project/config/config';
import { previewArtifact } from '../../../src/core/queue/artifactPreview';
import type { Artifact } from '../../../src/core/queue/types';
import { makeShop } from '../../support/engine/shopWorkspace';

const code = (path: string, content: string): Artifact => ({
  id: 'a-1',
  taskId: 't-1',
  type: 'code',
  path,
  content,
  submittedBy: 'agent#1',
  submittedAt: '2026-11-22T10:00:00.000Z',
});

test('preview: a code artifact is a diff against the workspace file; a new file is all added; a secret or a folder is compared with nothing, with the reason', async () => {
  const shop = makeShop({ git: false, files: { 'server/.env': 'TOKEN=do-not-show-me\n' } });
  try {
    const config = await loadConfig(shop.dir);
    const store = shop.read('server/store.js');
    const changed = await previewArtifact(
      shop.dir,
      config,
      code('server/store.js', store.replace(/\n/, '\n// one line added\n')),
    );
    assert.equal(changed?.added, 1);
    assert.equal(changed?.removed, 0);
    assert.deepEqual(changed?.files, [{ path: 'server/store.js', status: 'modified' }]);
    assert.match(changed!.diff, /^\+\/\/ one line added$/m);
    assert.match(
      changed!.diff,
      /^--- a\/server\/store\.js\n\+\+\+ b\/server\/store\.js\n@@ /,
      'a unified diff as git prints one',
    );
    assert.ok(changed!.diff.split('\n').length < 20, 'the change and its context, not the whole file');

    const created = await previewArtifact(shop.dir, config, code('server/entities/new.js', 'a\nb\n'));
    assert.deepEqual([created?.added, created?.removed, created?.files[0]?.status], [2, 0, 'added']);

    const secret = await previewArtifact(shop.dir, config, code('server/.env', 'TOKEN=x\n'));
    assert.match(secret!.note!, /privacy deny list/);
    assert.doesNotMatch(secret!.diff, /do-not-show-me/);

    const folder = await previewArtifact(shop.dir, config, code('server/entities', 'x\n'));
    assert.match(folder!.note!, /is a folder in the workspace/);
    assert.equal(await previewArtifact(shop.dir, config, { ...code('x', 'prose'), type: 'text' }), undefined);
  } finally {
    shop.cleanup();
  }
});
