/**
 * The production build the .vsix ships (`node scripts/build.mjs --production`: minified, no
 * source maps), made into a temporary folder so the repo's dist/ (the dev build the tests use)
 * is left alone. scripts/build.mjs names its inputs and outputs relative to the working
 * directory, so it runs in a temporary folder whose src/, webview/ and node_modules/ are
 * symlinks to the repo's: same script, same options, other outdir.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import type { BenchContext } from '../types';

export const REPO = resolve(__dirname, '../..');

export interface ProductionBuild {
  /** The temporary folder; its dist/ holds extension.js, engine.js, webview.js, cli.js. */
  dir: string;
  /** What VS Code loads on activation. */
  extension: string;
  /** The engine, require()d by extension.js on first use (and by cli.js). */
  engine: string;
  webview: string;
  cli: string;
  /** The traceability workbook writer, require()d by the engine only on an export. */
  xlsx: string;
  /** The other lazily loaded bundles: the PostgreSQL queue store, the openai and the Anthropic SDKs. */
  pgstore: string;
  openai: string;
  anthropic: string;
  /** The engine's rooms one command needs (census, import, drift, runners, mermaid, workspaces), require()d by the engine on first use. */
  rooms: Record<string, string>;
  /** The CLI proper, which dist/cli.js (the Node version check) loads. */
  cliMain: string;
  buildMs: number;
}

export interface FileSize {
  bytes: number;
  gzipBytes: number;
}

export function fileSize(file: string): FileSize {
  return { bytes: statSync(file).size, gzipBytes: gzipSync(readFileSync(file), { level: 9 }).length };
}

function build(): ProductionBuild {
  const dir = mkdtempSync(join(tmpdir(), 'orch-bench-prod-'));
  // What the build reads: the sources, and the files it lists for each artifact (dist/artifacts.json).
  for (const entry of [
    'src',
    'webview',
    'node_modules',
    'package.json',
    'tsconfig.json',
    'action.yml',
    'README.md',
    '.claude',
    'examples',
    'media',
  ])
    symlinkSync(join(REPO, entry), join(dir, entry));
  const t0 = performance.now();
  execFileSync(process.execPath, [join(REPO, 'scripts', 'build.mjs'), '--production'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const dist = (file: string) => join(dir, 'dist', file);
  return {
    dir,
    extension: dist('extension.js'),
    engine: dist('engine.js'),
    webview: dist('webview.js'),
    cli: dist('cli.js'),
    xlsx: dist('xlsx.js'),
    pgstore: dist('pgstore.js'),
    openai: dist('openai.js'),
    anthropic: dist('anthropic.js'),
    rooms: Object.fromEntries(
      ['census', 'import', 'drift', 'runners', 'mermaid', 'workspaces'].map((room) => [room, dist(`${room}.js`)]),
    ),
    cliMain: dist('cliMain.js'),
    buildMs: performance.now() - t0,
  };
}

/** One production build per bench run, shared by the extension cases. */
export function productionBuild(ctx: BenchContext): Promise<ProductionBuild> {
  return ctx.shared('extension-production-build', build, (b) => rmSync(b.dir, { recursive: true, force: true }));
}

/**
 * Bytes each npm package (or the repo's own code) puts into a production bundle, largest first,
 * from esbuild's metafile: the bundle's options (plugins included) come from scripts/build.mjs.
 */
export async function bundleComposition(outfile: string): Promise<[string, number][]> {
  const esbuild = await import('esbuild');
  const script = (await import(pathToFileURL(join(REPO, 'scripts', 'build.mjs')).href)) as {
    buildTargets(o: { production: boolean }): (Parameters<typeof esbuild.build>[0] & { outfile: string })[];
  };
  const target = script.buildTargets({ production: true }).find((t) => t.outfile === outfile);
  if (!target) throw new Error(`scripts/build.mjs builds no ${outfile}`);
  const result = await esbuild.build({
    ...target,
    absWorkingDir: REPO,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint !== undefined);
  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? `(own code: ${input.split('/')[0]})`;
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  return [...byPackage].sort((a, b) => b[1] - a[1]);
}

export const kB = (bytes: number): number => bytes / 1000;
