/**
 * `npm run bench`: runs every bench case in bench/cases/*.ts one after another (never in
 * parallel: they time things) and prints ONE markdown table of measured figures, each
 * against its target with PASS/MISS. The same table goes to test-output/bench.md (and the
 * raw rows to test-output/bench.json); a filtered run writes bench.partial.{md,json}.
 *
 *   npm run bench                    all cases
 *   npm run bench -- understand      only cases whose file name or title contains "understand"
 *   npm run bench -- --strict        exit 1 when a row misses its target
 *
 * Benchmarks report; they do not fail the build unless asked to (--strict). A case that
 * throws shows as an ERROR row with its reason (an extension host's own error, say) and the exit
 * code is 1. Each row carries the machine's load while its case ran (support/report.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatValue, renderTable, type CaseResult } from './support/report';
import type { BenchCase, BenchContext } from './types';

const ROOT = resolve(__dirname, '..');
const CASES_DIR = join(__dirname, 'cases');
const OUT_DIR = join(ROOT, 'test-output');

interface LoadedCase {
  file: string;
  bench: BenchCase;
}

const log = (message: string): void => {
  process.stderr.write(`[bench] ${message}\n`);
};

async function loadCases(filters: string[]): Promise<LoadedCase[]> {
  const files = readdirSync(CASES_DIR)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .sort();
  const loaded: LoadedCase[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(CASES_DIR, file)).href)) as {
      default?: BenchCase | { default?: BenchCase };
    };
    // tsx may hand a CommonJS module's default export back wrapped once more.
    const candidate =
      mod.default && 'run' in mod.default ? mod.default : (mod.default as { default?: BenchCase } | undefined)?.default;
    if (!candidate || typeof candidate.run !== 'function')
      throw new Error(`bench/cases/${file} has no default export { title, run }`);
    const name = `${basename(file, '.ts')} ${candidate.title}`.toLowerCase();
    if (filters.length > 0 && !filters.some((f) => name.includes(f.toLowerCase()))) continue;
    loaded.push({ file, bench: candidate });
  }
  return loaded.sort((a, b) => (a.bench.order ?? 100) - (b.bench.order ?? 100) || a.file.localeCompare(b.file));
}

function createContext(): { ctx: BenchContext; cleanup(): Promise<void> } {
  const shared = new Map<string, Promise<unknown>>();
  const disposers: (() => void | Promise<void>)[] = [];
  const ctx: BenchContext = {
    log,
    onCleanup: (dispose) => void disposers.push(dispose),
    shared<T>(key: string, create: () => T | Promise<T>, dispose?: (value: T) => void | Promise<void>): Promise<T> {
      let value = shared.get(key) as Promise<T> | undefined;
      if (!value) {
        value = Promise.resolve().then(create);
        shared.set(key, value);
        if (dispose) disposers.push(async () => dispose(await (value as Promise<T>)));
      }
      return value;
    },
  };
  return {
    ctx,
    async cleanup() {
      for (const dispose of disposers.reverse()) {
        try {
          await dispose();
        } catch (error) {
          log(`cleanup failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    },
  };
}

function gitDescribe(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty =
      execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).trim() !==
      '';
    return dirty ? `${commit} + uncommitted changes` : commit;
  } catch {
    return 'unknown';
  }
}

const loadAtStart = loadavg();

function environment(): string {
  const cpu = cpus();
  return [
    `node ${process.version}`,
    `${process.platform}/${process.arch}`,
    `${cpu.length} CPU${cpu.length === 1 ? '' : 's'} (${cpu[0]?.model.trim() ?? 'unknown'})`,
    `${Math.round(totalmem() / 2 ** 30)} GiB RAM`,
    `1-min load average ${(loadAtStart[0] ?? 0).toFixed(1)} at the start and ${(loadavg()[0] ?? 0).toFixed(1)} at the end`,
    `commit ${gitDescribe()}`,
  ].join(', ');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const strict = args.includes('--strict');
  const filters = args.filter((a) => !a.startsWith('--'));
  log(`Node ${process.version}`);
  const cases = await loadCases(filters);
  if (cases.length === 0) {
    log(`no bench case matches ${filters.join(', ')}`);
    process.exitCode = 2;
    return;
  }

  const started = Date.now();
  const { ctx, cleanup } = createContext();
  const results: CaseResult[] = [];
  try {
    for (const { file, bench } of cases) {
      log(`${bench.title} (${file}) …`);
      const t0 = Date.now();
      // The machine's load beside each case: a reader tells a slow machine from slow code.
      const loadStart = loadavg()[0] ?? 0;
      const load = () => ({ start: loadStart, end: loadavg()[0] ?? 0 });
      try {
        const rows = await bench.run(ctx);
        results.push({ file, title: bench.title, rows, ms: Date.now() - t0, load: load() });
        for (const row of rows)
          log(
            `  ${row.pass ? 'PASS' : 'MISS'} ${row.name}: ${formatValue(row.value, row.unit)} (target ${row.target})`,
          );
      } catch (error) {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        log(`  ERROR ${message}`);
        results.push({
          file,
          title: bench.title,
          rows: [],
          ms: Date.now() - t0,
          error: message.split('\n')[0] ?? message,
          load: load(),
        });
      }
      const { start, end } = results.at(-1)!.load;
      log(
        `  done in ${((Date.now() - t0) / 1000).toFixed(1)} s, load ${start.toFixed(1)} → ${end.toFixed(1)} on ${cpus().length} cores`,
      );
    }
  } finally {
    await cleanup();
  }

  const totalSec = ((Date.now() - started) / 1000).toFixed(1);
  const table = renderTable(results, cpus().length);
  const rows = results.flatMap((r) => r.rows);
  const misses = rows.filter((r) => !r.pass).length;
  const errors = results.filter((r) => r.error !== undefined).length;
  const doc = [
    '## Benchmarks',
    '',
    `Measured ${new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')} by \`npm run bench\` in ${totalSec} s; ${environment()}.`,
    '',
    table,
    '',
    `${rows.length - misses} of ${rows.length} rows meet their target${errors ? `; ${errors} case(s) failed to run` : ''}.`,
    '',
    `Load: the 1-minute load average when each row's case started and ended, on ${cpus().length} cores. Above ${cpus().length}, other work shared the machine: a ratio or a time measured then says as much about the machine as about the code; run that row alone (\`npm run bench -- <name>\`) before reading it as the code's.`,
    '',
  ].join('\n');

  // Only a full run replaces the table the README quotes; a filtered one goes beside it.
  const stem = filters.length > 0 ? 'bench.partial' : 'bench';
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(join(OUT_DIR, `${stem}.md`), doc);
  writeFileSync(
    join(OUT_DIR, `${stem}.json`),
    `${JSON.stringify({ when: new Date().toISOString(), environment: environment(), filters, results }, null, 2)}\n`,
  );
  process.stdout.write(`\n${doc}\n`);
  log(`written to ${join('test-output', `${stem}.md`)}`);
  if (errors > 0 || (strict && misses > 0)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
