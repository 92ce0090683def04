// A throw-away copy of examples/shop (or another example), as a git repository with one commit (or without git).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const SHOP = resolve(__dirname, '../../../examples/shop');

export interface ShopWorkspace {
  dir: string;
  git(...args: string[]): string;
  read(path: string): string;
  write(path: string, content: string): void;
  cleanup(): void;
}

export interface ShopOptions {
  /** The folder under examples/ to copy; `shop` by default. */
  example?: string;
  git?: boolean;
  /** Edits .claude/orchestrator.yaml before the first commit. */
  config?: (yaml: string) => string;
  files?: Record<string, string>;
}

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

export function makeShop(options: ShopOptions = {}): ShopWorkspace {
  const base = mkdtempSync(join(tmpdir(), 'orch-shop-'));
  const source = options.example ? resolve(SHOP, '..', options.example) : SHOP;
  const dir = join(base, options.example ?? 'shop');
  cpSync(source, dir, {
    recursive: true,
    filter: (src) => !/[\\/](node_modules|runs)([\\/]|$)/.test(src.slice(source.length)),
  });
  const write = (path: string, content: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  };
  if (options.config)
    write('.claude/orchestrator.yaml', options.config(readFileSync(join(dir, '.claude/orchestrator.yaml'), 'utf8')));
  for (const [path, content] of Object.entries(options.files ?? {})) write(path, content);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env: GIT_ENV, encoding: 'utf8' });
  if (options.git !== false) {
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'shop');
  }
  return {
    dir,
    git,
    read: (path) => readFileSync(join(dir, path), 'utf8'),
    write,
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
}

/** Sets `limits.<key>: <value>` in the shop's config text (adding the key when the file has none). */
export function withLimit(key: string, value: number): (yaml: string) => string {
  return (yaml) => {
    const line = new RegExp(`(\\n\\s+${key}:)\\s*[^\\n]*`);
    return line.test(yaml)
      ? yaml.replace(line, `$1 ${value}`)
      : yaml.replace(/\nlimits:\n/, `\nlimits:\n  ${key}: ${value}\n`);
  };
}
