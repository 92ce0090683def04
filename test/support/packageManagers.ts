// The real package managers scripts/package-managers/install.sh (a step of scripts/setup.mjs) leaves,
// each in a global npm prefix of its own: `<dir>/pnpm-11/bin/pnpm -> ../lib/node_modules/pnpm/bin/…`,
// as `npm install -g` lays one out in a user's home folder.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const CACHE = resolve(process.env.ORCH_E2E_CACHE ?? join(__dirname, '../../.cache/e2e'));
/** The folder of the prefixes: a test makes it HOME so each prefix is a folder of the home, as ~/.npm-global is. */
export const PACKAGE_MANAGERS = join(CACHE, 'package-managers');

export type PackageManager = 'pnpm-10' | 'pnpm-11' | 'yarn-4';

/** The prefix's `bin` folder (for PATH); throws, saying what to run, when the setup step has not run. */
export function packageManagerBin(name: PackageManager): string {
  const bin = join(PACKAGE_MANAGERS, name, 'bin');
  const program = name.startsWith('pnpm') ? 'pnpm' : 'yarn';
  if (!existsSync(join(bin, program)))
    throw new Error(
      `No ${name} for this test in ${PACKAGE_MANAGERS}: run \`node scripts/setup.mjs\` (its package-managers step, scripts/package-managers/install.sh)`,
    );
  return bin;
}
