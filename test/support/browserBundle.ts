// Browser code (webview/, src/portal/client/) loaded in a node test as its build loads it: bundled
// by esbuild (its ES modules and the UI contract with them) into a CommonJS file required here.
// Its elements are built on a linkedom document the caller puts on globalThis.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

/** `exports`: the names to export and the repository-relative module each comes from. */
export async function browserBundle<T>(exports: Record<string, string>): Promise<T> {
  const { build } = await import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'orch-browser-'));
  try {
    const contents = Object.entries(exports)
      .map(([name, path]) => `export { ${name} } from ${JSON.stringify(`./${path}`)};`)
      .join('\n');
    await build({
      stdin: { contents, resolveDir: ROOT, sourcefile: 'entry.ts', loader: 'ts' },
      bundle: true,
      format: 'cjs',
      platform: 'neutral',
      mainFields: ['module', 'main'],
      outfile: join(dir, 'bundle.cjs'),
      logLevel: 'silent',
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(join(dir, 'bundle.cjs')) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
