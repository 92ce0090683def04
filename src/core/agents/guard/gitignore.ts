import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';

/**
 * The workspace's .gitignore rules, as git applies them: the root file, nested ones (the
 * deepest with an opinion wins), `.git/info/exclude`, the user's global excludes file at its
 * default place (`$XDG_CONFIG_HOME/git/ignore`), and an ignored folder hides everything inside it. Read without running git (Restricted Mode runs no git at all).
 * Each file is read once per instance: agents cannot change them (.gitignore is protected).
 */
export class GitignoreRules {
  private readonly levels = new Map<string, Promise<Ignore | undefined>>();
  private readonly folders = new Map<string, Promise<boolean>>();
  private exclude: Promise<Ignore | undefined> | undefined;

  constructor(private readonly root: string) {}

  /** Is this workspace-relative path ignored (itself, or a folder above it)? */
  async isIgnored(rel: string, isDir: boolean): Promise<boolean> {
    if (rel === '') return false;
    const parts = rel.split('/');
    const parent = parts.slice(0, -1).join('/');
    if (parent !== '' && (await this.isFolderIgnored(parent))) return true;
    return this.ownVerdict(rel, isDir);
  }

  private isFolderIgnored(rel: string): Promise<boolean> {
    let verdict = this.folders.get(rel);
    if (!verdict) {
      verdict = this.isIgnored(rel, true);
      this.folders.set(rel, verdict);
    }
    return verdict;
  }

  /** The path's own verdict from the rules of the folders above it, without its ancestors'. */
  private async ownVerdict(rel: string, isDir: boolean): Promise<boolean> {
    const parts = rel.split('/');
    let ignored = false;
    const excluded = await this.excludeRules();
    if (excluded) ignored = verdict(excluded, rel, isDir) ?? ignored;
    for (let depth = 0; depth < parts.length; depth++) {
      const base = parts.slice(0, depth).join('/');
      const rules = await this.rulesIn(base);
      if (!rules) continue;
      ignored = verdict(rules, parts.slice(depth).join('/'), isDir) ?? ignored;
    }
    return ignored;
  }

  private rulesIn(dir: string): Promise<Ignore | undefined> {
    let rules = this.levels.get(dir);
    if (!rules) {
      rules = load(join(this.root, dir, '.gitignore'));
      this.levels.set(dir, rules);
    }
    return rules;
  }

  private excludeRules(): Promise<Ignore | undefined> {
    this.exclude ??= (async () => {
      const global = join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'git', 'ignore');
      const texts = await Promise.all(
        [global, join(this.root, '.git', 'info', 'exclude')].map((f) => readFile(f, 'utf8').catch(() => '')),
      );
      const text = texts.join('\n');
      return text.trim() === '' ? undefined : ignore().add(text);
    })();
    return this.exclude;
  }
}

async function load(file: string): Promise<Ignore | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : ignore().add(text);
}

/** true/false when the rules have an opinion, undefined when they have none. */
function verdict(rules: Ignore, local: string, isDir: boolean): boolean | undefined {
  try {
    const result = rules.test(isDir ? `${local}/` : local);
    if (result.ignored) return true;
    if (result.unignored) return false;
  } catch {
    // A name the ignore library cannot parse is simply not ignored.
  }
  return undefined;
}
