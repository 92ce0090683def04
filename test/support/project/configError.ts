import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/core/project/config/config';
import { ProjectFileError } from '../../../src/core/project/sources/errors';

/** The message of the ProjectFileError parsing `text` as the project's config raises (the test fails if it parses). */
export function configError(text: string): string {
  try {
    parseConfig(text);
  } catch (e) {
    assert.ok(e instanceof ProjectFileError);
    return e.message;
  }
  assert.fail('expected a config error');
}
