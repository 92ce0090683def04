/**
 * An `owns` glob that can match a protected path (.git/**, .claude/**, .vscode/**, .gitignore, .git*)
 * is a configuration error: the guard refuses those writes anyway, but a layer that claims
 * them is a mistake (or an attempt) the human should see before any model call.
 *
 * "Can match" is judged several ways, any of which is enough: the glob matches a typical file
 * of a protected folder (any case); a wildcard segment of it, put in the place of a protected
 * folder, makes a path it matches (`**` followed by `*.ts` matches `.claude/x.ts`); its literal base folder is
 * protected; or the glob read literally (wildcards as plain names) names a protected path.
 */
import picomatch from 'picomatch';
import { PROTECTED_GLOBS, protectedGlobOf, type ProtectedGlob } from './protectedPaths';

const PROBES: [string, ProtectedGlob][] = [
  ['.git/config', '.git/**'],
  ['.git/HEAD', '.git/**'],
  ['.git/hooks/pre-commit', '.git/**'],
  ['.git/info/exclude', '.git/**'],
  ['.claude/orchestrator.yaml', '.claude/**'],
  ['.claude/entity-registry.json', '.claude/**'],
  ['.claude/memory.jsonl', '.claude/**'],
  ['.claude/context/backend.context.md', '.claude/**'],
  ['.claude/runs/run/events.jsonl', '.claude/**'],
  ['.claude/scripts/sync.js', '.claude/**'],
  ['.vscode/settings.json', '.vscode/**'],
  ['.vscode/tasks.json', '.vscode/**'],
  ['.vscode/launch.json', '.vscode/**'],
  ['.vscode/mcp.json', '.vscode/**'],
  ['.gitignore', '.gitignore'],
  ['.gitattributes', '.git*'],
  ['.gitmodules', '.git*'],
];

export function protectedOwnsMessage(glob: string, guarded: ProtectedGlob): string {
  return `owns glob ${JSON.stringify(glob)} can match the protected path ${JSON.stringify(guarded)}; agents never write ${PROTECTED_GLOBS.join(', ')} whatever owns says: name the layer's own folders instead (e.g. "src/**")`;
}

/** The protected path an `owns` glob can match, or undefined. */
export function protectedMatchOfGlob(glob: string): ProtectedGlob | undefined {
  const normalized = glob
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/^\/+/, '');
  const test = picomatch(normalized, { dot: true, nocase: true });
  for (const [probe, guarded] of PROBES) if (test(probe)) return guarded;
  const substituted = substitutionProbe(normalized, test);
  if (substituted) return substituted;
  const { base } = picomatch.scan(normalized);
  const fromBase = base === '' ? undefined : protectedGlobOf(base);
  if (fromBase && fromBase !== '.gitignore' && fromBase !== '.git*') return fromBase;
  const literal = normalized.replace(/[*?[\]{}()!+@]/g, 'x');
  const fromLiteral = protectedGlobOf(literal);
  // Nested .git* files are refused at run time; only the root ones make a glob wrong.
  if (fromLiteral === '.gitignore' || fromLiteral === '.git*') return literal.includes('/') ? undefined : fromLiteral;
  return fromLiteral;
}

const FOLDERS: [string, ProtectedGlob][] = [
  ['.git', '.git/**'],
  ['.claude', '.claude/**'],
  ['.vscode', '.vscode/**'],
];
const literalSegment = (segment: string) => (segment === '**' ? 'x' : segment.replace(/[*?[\]{}()!+@]/g, 'x') || 'x');

/**
 * Puts each protected folder in place of the glob's first segment when that is a wildcard
 * that could name it. (Deeper protected folders, such as `server/.vscode`, are refused at
 * run time; they do not make `server/**` wrong.)
 */
function substitutionProbe(glob: string, test: (path: string) => boolean): ProtectedGlob | undefined {
  const [first, ...rest] = glob.split('/');
  if (first === undefined) return undefined;
  for (const [folder, guarded] of FOLDERS) {
    if (first !== '**' && !picomatch(first, { dot: true, nocase: true })(folder)) continue;
    const tail = rest.map(literalSegment);
    if (test([folder, ...(tail.length > 0 ? tail : ['x'])].join('/'))) return guarded;
  }
  return undefined;
}
