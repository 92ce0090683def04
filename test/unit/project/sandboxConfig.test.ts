// The `sandbox` key (docs/security.md "The sandbox"): required by default, the short
// and the long form, a layer's own network, and entries the sandbox cannot open refused by line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../../src/core/project/config/config';
import { configError } from '../../support/project/configError';

test('sandbox config: required with no network by default; short and long forms; a layer network', () => {
  assert.deepEqual(parseConfig('version: 1\n').sandbox, { mode: 'required', network: [] });
  assert.deepEqual(parseConfig('sandbox: off\n').sandbox, { mode: 'off', network: [] });
  assert.deepEqual(parseConfig('sandbox: required\n').sandbox, { mode: 'required', network: [] });
  assert.deepEqual(parseConfig('sandbox:\n  network: ["registry.npmjs.org:443", "127.0.0.1:5432"]\n').sandbox, {
    mode: 'required',
    network: ['registry.npmjs.org:443', '127.0.0.1:5432'],
  });
  const layered = parseConfig(
    'layers:\n  backend: { owns: ["server/**"], validate: ["npm test"], sandbox: { network: ["pypi.org"] } }\n  web: { owns: ["web/**"] }\n',
  );
  assert.deepEqual(layered.layers.backend!.sandbox, { network: ['pypi.org'] });
  assert.equal(layered.layers.web!.sandbox, undefined);
});

test('sandbox config: a wrong mode or an entry it cannot open names file, line and key', () => {
  const error = configError;
  assert.match(error('sandbox: maybe\n'), /^\.claude\/orchestrator\.yaml:1:\d+ sandbox/);
  assert.match(
    error('sandbox:\n  network: ["*.npmjs.org"]\n'),
    /^\.claude\/orchestrator\.yaml:2:\d+ sandbox\.network\[0\]: .*wildcards are not supported/,
  );
  assert.match(
    error('sandbox:\n  network: ["10.1.2.3:5432"]\n'),
    /sandbox\.network\[0\]: .*only loopback IP addresses/,
  );
  assert.match(error('sandbox:\n  mode: on\n'), /^\.claude\/orchestrator\.yaml:2:\d+ sandbox/);
  assert.match(
    error('layers:\n  backend: { owns: ["server/**"], sandbox: { network: ["x.org:0"] } }\n'),
    /layers\.backend\.sandbox\.network\[0\]: .*port must be 1-65535/,
  );
  assert.match(
    error('layers:\n  backend: { owns: ["server/**"], sandbox: { mode: off } }\n'),
    /layers\.backend\.sandbox/,
  );
});
