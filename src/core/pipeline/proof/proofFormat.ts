/**
 * Proof tests are the project's files and are frozen once RED has run: before RED, the project's own
 * formatter writes them in its style, so one of its checks (`prettier --check` inside `npm test`,
 * `ruff format --check`, `gofmt -l`) never fails on a test no layer may change (npm run realworld:
 * path-to-regexp's `npm test` checks formatting, and the gate failed on the frozen test every
 * retry). Only a formatter the project has: Biome with its config, else Prettier installed in its
 * `node_modules` when the project's own tests are as it writes them; Ruff or Black configured in
 * `pyproject.toml`; gofmt beside Go. It runs as the
 * project's commands do (sandboxed, journaled); one that fails leaves the files as written.
 */
import { existsSync } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { delimiter, extname, join, posix } from 'node:path';
import { withFiles } from '../../proofTests';
import { type RunContext, runProjectCommand } from '../kernel';

const JS = /^\.[cm]?[jt]sx?$/;

/** `example`: the project's own test the proof agent was shown; Prettier formats only a project whose tests it would leave as they are. */
export async function formatProofTests(
  ctx: RunContext,
  files: readonly string[],
  example: string | undefined,
): Promise<void> {
  const groups = new Map<string, { formatter: Formatter; files: string[] }>();
  for (const file of new Set(files)) {
    const formatter = await formatterFor(ctx.workspace, file);
    if (formatter)
      groups.set(formatter.write, { formatter, files: [...(groups.get(formatter.write)?.files ?? []), file] });
  }
  for (const { formatter, files: group } of groups.values()) {
    // Prettier installed is not Prettier used (XO, standard bring it along with a style of their
    // own): the project's own test, already as Prettier writes it, says it is the project's.
    if (formatter.ownStyle) {
      if (!example || !JS.test(extname(example))) continue;
      if ((await runProjectCommand(ctx, withFiles(formatter.ownStyle, [example]), { kind: 'proof' })).exitCode !== 0)
        continue;
    }
    const result = await runProjectCommand(ctx, withFiles(formatter.write, group), { kind: 'proof' });
    if (result.exitCode !== 0)
      ctx.emit({
        type: 'log',
        level: 'warn',
        message: `The project's formatter did not format the proof tests (${formatter.write.split(' ')[0]} exited ${result.exitCode ?? 'without a code'}): they stay as the proof agent wrote them.`,
      });
  }
}

/** Commands with `{files}`, run from the workspace root. */
interface Formatter {
  /** Formats the files the project's way. */
  write: string;
  /** Passes when a file is already as `write` would leave it: asked of the project's own test first. */
  ownStyle?: string;
}

/** The formatter of `file`, when the project has one. */
async function formatterFor(workspace: string, file: string): Promise<Formatter | undefined> {
  const ext = extname(file);
  if (JS.test(ext)) {
    for (const dir of folders(file)) {
      const bin = (name: string) => posix.join(dir || '.', 'node_modules/.bin', name);
      const biomeConfig =
        (await has(workspace, posix.join(dir, 'biome.json'))) || (await has(workspace, posix.join(dir, 'biome.jsonc')));
      if (biomeConfig && (await has(workspace, bin('biome'))))
        return { write: `${bin('biome')} format --write {files}` };
      if (await has(workspace, bin('prettier')))
        return { write: `${bin('prettier')} --write {files}`, ownStyle: `${bin('prettier')} --check {files}` };
    }
    return undefined;
  }
  if (ext === '.py') {
    const pyproject = await readFile(join(workspace, 'pyproject.toml'), 'utf8').catch(() => '');
    const venv = async (name: string) =>
      (await has(workspace, `.venv/bin/${name}`)) ? `.venv/bin/${name}` : onPath(name) ? name : undefined;
    const ruff =
      /^\[tool\.ruff[\].]/m.test(pyproject) || (await has(workspace, 'ruff.toml')) ? await venv('ruff') : undefined;
    if (ruff) return { write: `${ruff} format {files}` };
    const black = /^\[tool\.black\]/m.test(pyproject) ? await venv('black') : undefined;
    return black ? { write: `${black} -q {files}` } : undefined;
  }
  return ext === '.go' && onPath('gofmt') ? { write: 'gofmt -w {files}' } : undefined;
}

/** A program on this process's PATH (the sandbox's is the same). */
function onPath(name: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, name)));
}

/** The file's folders, nearest first, up to the workspace root (''). */
function folders(file: string): string[] {
  const parts = posix
    .dirname(file)
    .split('/')
    .filter((p) => p && p !== '.');
  return parts.map((_, i) => parts.slice(0, parts.length - i).join('/')).concat('');
}

async function has(workspace: string, path: string): Promise<boolean> {
  return access(join(workspace, path)).then(
    () => true,
    () => false,
  );
}
