/**
 * Which of a repository's commands check its code (a validate command) and which set up,
 * deploy or just print: CI steps install, log in and upload too.
 */
import { parse } from 'shell-quote';

const CHECK = /\b(lint|tests?|check|typecheck|type-check|check-types|tsc|vet|clippy|ruff|mypy|pyright|pytest|eslint|biome|phpunit|phpstan|psalm|rspec|rubocop|analy[sz]e|build|compile|classes|verify|fmt|format)\b/i;
/** Programs whose runs never judge the code. */
const NOT_CHECKS = new Set([
  'echo', 'printf', 'true', 'false', ':', 'exit', 'git', 'gh', 'docker', 'docker-compose', 'podman', 'curl', 'wget', 'apt', 'apt-get', 'brew', 'sudo', 'aws', 'gcloud', 'az',
  'kubectl', 'helm', 'corepack', 'nvm', 'source', 'export', 'set', 'mkdir', 'cp', 'mv', 'rm', 'cat', 'ls', 'chmod', 'touch', 'tee', 'sleep', 'test', '[', 'if', 'for', 'while',
  'pip', 'pip3', 'pipx', 'uv', 'poetry', 'conda', 'sdk', 'rustup', 'choco', 'scoop', 'codecov', 'npx-codecov', 'terraform', 'ssh', 'scp', 'rsync', 'tar', 'unzip', 'zip',
]);
/** Subcommands that install, serve or ship rather than check. */
const NOT_CHECK_WORDS = /^(install|i|ci|add|restore|publish|deploy|release|login|push|upload|dev|start|serve|watch|preview|clean|prune|cache|config|set|setup|generate|up|down|exec|dlx|outdated|audit|version|--version|-v)$/;

/** The program a command line starts, past `VAR=x` assignments and `npx`/`bunx`/`uv run`/`poetry run`. */
export function commandWords(command: string): string[] {
  let entries: ReturnType<typeof parse>;
  try {
    entries = parse(command.replace(/\$\{\{[^}]*\}\}/g, 'X'), (name) => `$${name}`);
  } catch {
    return [];
  }
  const words: string[] = [];
  for (const entry of entries) {
    if (typeof entry === 'string') words.push(entry);
    else if ('op' in entry && entry.op !== 'glob') break;
    else if ('op' in entry) words.push(entry.pattern);
  }
  while (words.length > 0 && /^[A-Za-z_]\w*=/.test(words[0]!)) words.shift();
  return words;
}

export function isPlaceholder(command: string): boolean {
  const trimmed = command.trim();
  return trimmed === '' || /<[^>]+>/.test(trimmed) || /^(echo|true|:|exit 0|printf)\b/.test(trimmed) || /no test specified/i.test(trimmed) || /^(TODO|FIXME)/i.test(trimmed);
}

/** True for a command that checks code: a build, type check, lint or test, not an install or a deploy. */
export function isCheckCommand(command: string): boolean {
  if (isPlaceholder(command)) return false;
  const parts = command.split(/&&|\|\||;/).map((p) => p.trim()).filter((p) => p !== '' && !/^cd\s/.test(p));
  if (parts.length === 0) return false;
  return parts.every((part) => {
    const words = commandWords(part);
    const program = (words[0] ?? '').split('/').at(-1) ?? '';
    if (program === '' || NOT_CHECKS.has(program)) return false;
    const rest = words.slice(1).filter((w) => !w.startsWith('-'));
    const sub = /^(run|run-script)$/.test(rest[0] ?? '') ? rest[1] : rest[0];
    if (sub !== undefined && NOT_CHECK_WORDS.test(sub)) return false;
    if (/\b(watch|--watch|serve|dev)\b/.test(part) && !/\bbuild\b/.test(part)) return false;
    return CHECK.test(part);
  });
}
