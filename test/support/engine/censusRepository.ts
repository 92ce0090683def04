// A repository with no .claude/: backend/ (Node API) and frontend/ (React), whose package scripts check syntax.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const GOOD_USERS = "module.exports = { fields: ['name', 'email'] };\n";
export const BROKEN_USERS = "module.exports = { fields: ['name', 'email' };\n";

export const SPEC = `## Spec: User email

### Summary
An email field on User, shown by the web app.

### Entity Info
- Pattern: simple
- References: none
- Type: Existing entity

### Requirements

#### REQ-1: Email
**Acceptance criteria**
- REQ-1.1: WHEN a user is listed THE api SHALL return its email.

### Files to Create/Modify

#### Backend
- [ ] backend/src/users.js: add the email field

#### Frontend
- [ ] frontend/src/app.js: show the email

### Tasks
1. [ ] Backend: backend/src/users.js gets email (REQ-1)
2. [ ] Frontend: frontend/src/app.js shows it (REQ-1)

### Dependencies
- None
`;

export function repository(): { dir: string; cleanup: () => void } {
  const base = mkdtempSync(join(tmpdir(), 'orch-zero-config-'));
  const files: Record<string, string> = {
    'backend/package.json': JSON.stringify({
      name: 'api',
      dependencies: { express: '4.0.0' },
      scripts: { build: 'node --check src/users.js' },
    }),
    'backend/src/users.js': "module.exports = { fields: ['name'] };\n",
    'frontend/package.json': JSON.stringify({
      name: 'web',
      dependencies: { react: '18.0.0' },
      scripts: { lint: 'node --check src/app.js' },
    }),
    'frontend/src/app.js': 'module.exports = () => "users";\n',
  };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(base, path)), { recursive: true });
    writeFileSync(join(base, path), content);
  }
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'T',
    GIT_AUTHOR_EMAIL: 't@t',
    GIT_COMMITTER_NAME: 'T',
    GIT_COMMITTER_EMAIL: 't@t',
  };
  for (const args of [
    ['init', '-q', '-b', 'main'],
    ['add', '-A'],
    ['commit', '-qm', 'start'],
  ])
    execFileSync('git', args, { cwd: base, env });
  return { dir: base, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}
