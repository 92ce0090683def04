/** A throw-away copy of examples/shop as a git repository with one commit. */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { initAndCommit } from './git';

export const SHOP = resolve(__dirname, '../../examples/shop');

export interface Shop {
  dir: string;
  read(path: string): string;
  cleanup(): void;
}

export interface ShopOptions {
  /** Rewrites .claude/orchestrator.yaml before the commit. */
  config?: (yaml: string) => string;
  /** Extra files written before the commit (workspace-relative path → content). */
  files?: Record<string, string>;
}

export function makeShop(options: ShopOptions = {}): Shop {
  const base = mkdtempSync(join(tmpdir(), 'orch-bench-shop-'));
  const dir = join(base, 'shop');
  const cleanup = (): void => rmSync(base, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  try {
    cpSync(SHOP, dir, {
      recursive: true,
      filter: (src) => !/[\\/](node_modules|runs)([\\/]|$)/.test(src.slice(SHOP.length)),
    });
    if (options.config) {
      const file = join(dir, '.claude', 'orchestrator.yaml');
      writeFileSync(file, options.config(readFileSync(file, 'utf8')));
    }
    for (const [path, content] of Object.entries(options.files ?? {})) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    initAndCommit(dir, 'shop');
  } catch (error) {
    cleanup();
    throw error;
  }
  return {
    dir,
    read: (path) => readFileSync(join(dir, path), 'utf8'),
    cleanup,
  };
}

/** Sets `limits.<key>: <value>` in the config text (the key must already be there). */
export function setLimit(key: string, value: number): (yaml: string) => string {
  return (yaml) => {
    const line = new RegExp(`(\\n\\s+${key}:)\\s*[^\\n]*`);
    if (!line.test(yaml)) throw new Error(`limits.${key} not found in the config`);
    return yaml.replace(line, `$1 ${value}`);
  };
}

/** Removes every layer's `after:` so all layers form one wave. */
export function withoutAfter(yaml: string): string {
  const next = yaml.replace(/\n\s+after:\s*\[[^\]]*\][^\n]*/g, '');
  if (next === yaml) throw new Error('no `after:` in the config');
  return next;
}
