import type { Worker } from 'node:worker_threads';
import { walkFiles } from './fileWalker';
import { startSearchWorker, type WorkerInput, type WorkerMessage } from './searchWorker';
import { ToolError } from './toolTypes';

export const SEARCH_LIMITS = {
  maxMatches: 100,
  maxFilesScanned: 5000,
  /** Larger files are skipped: generated bundles and data dumps drown real matches. */
  maxFileBytes: 1024 * 1024,
  /** Characters of each matching line shown, and the longest line tested (bounds regex work). */
  maxLineChars: 300,
  maxTestedLineChars: 4000,
  /** One file taking longer than this is skipped (a pattern that backtracks without end). */
  perFileMs: 2000,
  /** The whole search; files not reached by then are reported as not searched. */
  totalMs: 15_000,
  /** Skipped files named in the result (the rest are counted). */
  maxSkippedShown: 20,
};

export interface SearchScope {
  root: string;
  where: { folder: string } | { file: string };
  pattern: string | undefined;
  hidden: (rel: string, isDir: boolean) => Promise<string | undefined>;
  signal?: AbortSignal;
}

/**
 * Greps `regex` through the files in a folder (without what the guard hides) or through
 * one file, returning "path:line:text" lines plus notices: results capped, files skipped
 * (too large, or a pattern that ran past the per-file time limit) and files not reached
 * in the time limit. The regex runs in a worker thread that is restarted past a stuck file.
 */
export async function searchInFiles(scope: SearchScope, regex: RegExp, limits = SEARCH_LIMITS): Promise<string> {
  const walked =
    'file' in scope.where
      ? { files: [scope.where.file], truncated: false }
      : await walkFiles(scope.root, {
          start: scope.where.folder,
          pattern: scope.pattern,
          maxFiles: limits.maxFilesScanned,
          hidden: scope.hidden,
        });
  if (scope.signal?.aborted) throw new ToolError('search cancelled');

  const run = await runWorkers(scope, walked.files, regex, limits);
  const matches = run.matches.slice(0, limits.maxMatches);
  const notices: string[] = [];
  if (run.matches.length >= limits.maxMatches)
    notices.push(`[truncated: first ${limits.maxMatches} matches shown; narrow the query, path or pattern]`);
  if (walked.truncated)
    notices.push(`[only the first ${limits.maxFilesScanned} files were searched; narrow path or pattern]`);
  if (run.skipped.length > 0) {
    const shown = run.skipped.slice(0, limits.maxSkippedShown).map((s) => `${s.file} (${s.reason})`);
    const more = run.skipped.length > shown.length ? ` and ${run.skipped.length - shown.length} more` : '';
    notices.push(`[skipped ${run.skipped.length} file(s): ${shown.join(', ')}${more}]`);
  }
  if (run.notReached > 0) {
    notices.push(
      `[search stopped at its ${limits.totalMs / 1000} s time limit: ${run.notReached} file(s) not searched; simplify the pattern or narrow the path]`,
    );
  }
  if (matches.length === 0) return [`[no matches for ${regex.source}]`, ...notices].join('\n');
  return [...matches, ...notices].join('\n');
}

interface WorkerRun {
  matches: string[];
  skipped: { file: string; reason: string }[];
  notReached: number;
}

/** Runs the files through worker threads, one after the other, restarting past a stuck file. */
function runWorkers(
  scope: SearchScope,
  files: string[],
  regex: RegExp,
  limits: typeof SEARCH_LIMITS,
): Promise<WorkerRun> {
  const result: WorkerRun = { matches: [], skipped: [], notReached: 0 };
  if (files.length === 0) return Promise.resolve(result);
  const deadline = Date.now() + limits.totalMs;

  return new Promise<WorkerRun>((resolve, reject) => {
    let worker: Worker | undefined;
    let current = -1;
    let offset = 0;
    let fileTimer: NodeJS.Timeout | undefined;
    let finished = false;

    const finish = (error?: Error) => {
      if (finished) return;
      finished = true;
      clearTimeout(fileTimer);
      clearTimeout(totalTimer);
      scope.signal?.removeEventListener('abort', onAbort);
      void worker?.terminate();
      if (error) reject(error);
      else resolve(result);
    };
    /** Abandons the running worker; the search goes on after `skip` (an absolute index) when given. */
    const abandon = (skip: number, reason: string) => {
      clearTimeout(fileTimer);
      const stuck = worker;
      worker = undefined;
      void stuck?.terminate();
      result.skipped.push({ file: files[skip]!, reason });
      start(skip + 1);
    };
    const start = (from: number) => {
      if (from >= files.length || result.matches.length >= limits.maxMatches) return finish();
      offset = from;
      current = from;
      const input: WorkerInput = {
        root: scope.root,
        files: files.slice(from),
        source: regex.source,
        flags: regex.flags,
        maxMatches: limits.maxMatches - result.matches.length,
        maxFileBytes: limits.maxFileBytes,
        maxLineChars: limits.maxLineChars,
        maxTestedLineChars: limits.maxTestedLineChars,
      };
      const self = startSearchWorker(
        input,
        (message) => onMessage(self, message),
        (error) => {
          if (worker === self) abandon(current, `search failed: ${error.message}`);
        },
      );
      self.on('exit', () => {
        // A worker that dies on its own (memory limit) loses only the file it was on.
        if (worker === self && !finished) abandon(current, 'search ran out of memory');
      });
      worker = self;
    };
    const onMessage = (from: Worker, message: WorkerMessage) => {
      if (from !== worker || finished) return;
      if (message.type === 'end') return finish();
      const index = offset + message.index;
      if (message.type === 'start') {
        current = index;
        clearTimeout(fileTimer);
        fileTimer = setTimeout(
          () => abandon(index, `pattern ran past ${limits.perFileMs / 1000} s on this file`),
          limits.perFileMs,
        );
        return;
      }
      result.matches.push(...message.matches);
      if (message.skipped) result.skipped.push({ file: files[index]!, reason: message.skipped });
    };
    const onAbort = () => finish(new ToolError('search cancelled'));
    const totalTimer = setTimeout(
      () => {
        result.notReached = Math.max(0, files.length - current);
        finish();
      },
      Math.max(0, deadline - Date.now()),
    );
    scope.signal?.addEventListener('abort', onAbort, { once: true });
    start(0);
  });
}
