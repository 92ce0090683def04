/**
 * A failing CI job's log as the channel hands it to a layer (issue 39): its tail (where the error
 * is), GitHub Actions' timestamps dropped, the token and every credential-shaped value masked; and
 * the layer it is about: the one owning the files the log names (files of the pull request's head,
 * wherever the CI machine checked them out), else the one whose validate command the log or the
 * job's name shows.
 */
import type { OrchestratorConfig } from '../core/project/config';
import { hostCheckout, layerOwning } from '../core/engineBundle';
import { redactSecrets } from '../core/text/secrets';

/** Enough for a stack or a compiler's errors; the layer's agent reads it as a validation error. */
const TAIL_LINES = 150;
const TAIL_CHARS = 8_000;
/** Redacted before it is cut: a secret cut in half would no longer look like one. */
const READ_CHARS = 256 * 1024;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z ?/;
/** A path with an extension, as compilers, test runners and stacks print them (`:line:col` after it is left out). */
const PATH = /[\w@+.~/-]*[\w@+-]\.[A-Za-z][A-Za-z0-9]{0,9}\b/g;

export function logTail(log: string, secrets: readonly string[]): string {
  const read = redactSecrets(log.slice(-READ_CHARS), secrets).text;
  const lines = read
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(TIMESTAMP, ''));
  while (lines.length > 0 && lines.at(-1)!.trim() === '') lines.pop();
  const kept = lines.slice(-TAIL_LINES).join('\n');
  const tail = kept.slice(-TAIL_CHARS);
  return log.length > READ_CHARS || lines.length > TAIL_LINES || kept.length > TAIL_CHARS
    ? `… (the end of the log)\n${tail}`
    : tail;
}

/** Workspace-relative files of `commit` the log names, in the order it names them (repeats kept: they count). */
export async function filesNamed(workspace: string, commit: string, log: string): Promise<string[]> {
  const files = new Set(await hostCheckout.filesAt(workspace, commit));
  const named: string[] = [];
  for (const match of log.matchAll(PATH)) {
    const parts = match[0].split('/').filter((part) => part !== '' && part !== '.');
    // The longest tail that is a file here: /home/runner/work/shop/shop/web/src/a.js is web/src/a.js.
    for (let i = 0; i < parts.length; i++) {
      const candidate = parts.slice(i).join('/');
      if (files.has(candidate)) {
        named.push(candidate);
        break;
      }
    }
  }
  return named;
}

export interface OwningLayer {
  layer: string;
  /** Why that layer, in a few words (said on the pull request). */
  why: string;
}

export function owningLayer(
  config: OrchestratorConfig,
  files: readonly string[],
  log: string,
  jobName: string,
): OwningLayer | undefined {
  const score = new Map<string, { count: number; last: number; file: string }>();
  files.forEach((file, index) => {
    const layer = layerOwning(config, file);
    if (!layer) return;
    const seen = score.get(layer);
    score.set(layer, { count: (seen?.count ?? 0) + 1, last: index, file: seen?.file ?? file });
  });
  // The layer named most; on a tie, the one named last (the failure is at the end of a log).
  const best = [...score].sort(([, a], [, b]) => b.count - a.count || b.last - a.last)[0];
  if (best) return { layer: best[0], why: `it owns ${best[1].file}, which the log names` };
  for (const [layer, settings] of Object.entries(config.layers)) {
    const command = settings.validate.find((c) => log.includes(c) || jobName.includes(c));
    if (command) return { layer, why: `the log runs its validate command \`${command}\`` };
  }
  return undefined;
}
