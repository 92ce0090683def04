/**
 * What the build tools of buildTools.ts are asked to do (programChecks.ts hands them here): cabal
 * and stack, `zig build <steps>`, Julia's `Pkg.test()`, `R CMD check` and rcmdcheck, dune, the
 * Clojure CLI's aliases, Leiningen, Babashka tasks and sbt's tasks and aliases.
 */
import { byName, NEVER_NAME, type Judged } from './runnerChecks';

export const BUILD_TOOL_PROGRAMS = new Set([
  'cabal',
  'stack',
  'zig',
  'julia',
  'R',
  'Rscript',
  'dune',
  'clojure',
  'clj',
  'lein',
  'bb',
  'clj-kondo',
  'sbt',
]);

/** A name in camelCase judged by its words (`testJVM`, `scalafixCheckAll`, `checkDiscoveryNative`). */
function byCamelName(name: string): Judged | undefined {
  return byName(name.replace(/([a-z0-9])([A-Z])/g, '$1-$2'));
}

/** `zig build` options whose next word is their value (`--summary all`), not a step. */
const ZIG_VALUE_FLAGS = new Set(['--summary', '--prefix', '-p', '--build-runner', '--build-file', '--cache-dir', '-j']);

export function buildToolCheck(program: string, args: readonly string[]): Judged | undefined {
  const plain = args.filter((w) => !w.startsWith('-'));
  const sub = plain[0];
  const expression = () => args[args.indexOf('-e') + 1] ?? '';
  switch (program) {
    case 'cabal':
    case 'stack': {
      if (args.includes('--only-dependencies') || args.includes('--dependencies-only')) return undefined;
      const task = sub?.replace(/^(v2|new)-/, '');
      if (task === 'test' || (task === 'build' && args.includes('--test'))) return { kind: 'test' };
      // `cabal run test:spec` runs the package's test-suite `spec`.
      if (program === 'cabal' && task === 'run' && plain[1]?.startsWith('test:')) return { kind: 'test' };
      if (task === 'build') return { kind: 'build' };
      return program === 'cabal' && task === 'check' ? { kind: 'lint' } : undefined;
    }
    case 'zig': {
      if (sub === 'test') return { kind: 'test' };
      if (sub === 'fmt') return args.includes('--check') ? { kind: 'lint' } : undefined;
      if (sub !== 'build') return undefined;
      const steps: string[] = [];
      for (let i = args.indexOf('build') + 1; i < args.length; i++)
        if (ZIG_VALUE_FLAGS.has(args[i]!)) i++;
        else if (!args[i]!.startsWith('-')) steps.push(args[i]!);
      if (steps.length === 0) return { kind: 'build' };
      const judged = steps.map(byName);
      if (judged.some((j) => j === undefined)) return undefined;
      return { kind: judged.some((j) => j!.kind === 'test') ? 'test' : judged[0]!.kind };
    }
    case 'julia':
      return /\bPkg\.test\(/.test(args.includes('-e') ? expression() : '') ||
        plain.some((w) => /(^|\/)runtests\.jl$/.test(w))
        ? { kind: 'test' }
        : undefined;
    case 'R':
      return sub === 'CMD' && plain[1] === 'check' ? { kind: 'test' } : undefined;
    case 'Rscript': {
      const code = expression();
      if (/\b(rcmdcheck::rcmdcheck|devtools::check|devtools::test|testthat::test_\w+)\(/.test(code))
        return { kind: 'test' };
      return /\blintr::lint\w*\(/.test(code) ? { kind: 'lint' } : undefined;
    }
    case 'dune': {
      if (sub === 'runtest' || sub === 'test') return { kind: 'test' };
      if (sub !== 'build') return undefined;
      const aliases = plain.filter((w) => w.startsWith('@'));
      // `@runtest`, `@@default`, `@src/fmt`: an alias is named by its last part.
      if (aliases.some((a) => /(^@+|\/)runtest$/.test(a))) return { kind: 'test' };
      if (aliases.some((a) => /(^@+|\/)fmt$/.test(a))) return { kind: 'lint' };
      return aliases.every((a) => /(^@+|\/)(check|all|default|install)$/.test(a)) ? { kind: 'build' } : undefined;
    }
    case 'clojure':
    case 'clj': {
      // `-M:test:dev`, `-X:test`: the aliases say what runs; `-M -m cognitect.test-runner` its main namespace.
      const exec = args.findIndex((w) => /^-[XT]:/.test(w));
      // `-T:build uber`, `-X:deploy jar`: the function named after the alias is what runs.
      const fn = exec >= 0 ? args[exec + 1] : undefined;
      if (fn !== undefined && !/^[-:]/.test(fn)) return byName(fn.split('/').at(-1));
      const aliases = args.flatMap((w) => (/^-[MXTA]:/.test(w) ? w.slice(3).split(':') : []));
      const main = args[args.indexOf('-m') + 1];
      const named = [...aliases, ...(args.includes('-m') && main ? [main.split('.').at(-1)!] : [])];
      const judged = named.map(byName).filter((j): j is Judged => j !== undefined);
      if (named.some((n) => n.split(/[-_]/).some((part) => NEVER_NAME.test(part)))) return undefined;
      return judged.find((j) => j.kind === 'test') ?? judged[0];
    }
    case 'lein':
      if (plain.includes('test')) return { kind: 'test' };
      if (sub === 'compile') return { kind: 'build' };
      return sub && ['check', 'eastwood', 'kibit', 'bikeshed'].includes(sub) ? { kind: 'lint' } : undefined;
    case 'bb':
      return byName(sub === 'run' || sub === 'tasks' ? plain[1] : sub);
    case 'clj-kondo':
      return args.includes('--lint') ? { kind: 'lint' } : undefined;
    case 'sbt':
      return sbtTasks(args);
  }
  return undefined;
}

/** sbt tasks that check, whatever their names say. */
const SBT_CHECKS: Record<string, Judged['kind']> = {
  test: 'test',
  testOnly: 'test',
  testQuick: 'test',
  compile: 'build',
  scalafmtCheck: 'lint',
  scalafmtCheckAll: 'lint',
  scalafmtSbtCheck: 'lint',
  mimaReportBinaryIssues: 'lint',
  headerCheck: 'lint',
  scalastyle: 'lint',
};

/** sbt tasks setup runs before a check (`clean`, `update`): left out of the judgement. */
const SBT_SETUP = /^(clean|update|reload|scalafixEnable|coverage|coverageOff)$/;

/**
 * sbt's tasks and command aliases (`sbt testJVM` from `addCommandAlias`): each task by what it is
 * (`test`, `compile`, `mimaReportBinaryIssues`) or what its name says, past its cross-build `+` and
 * its project and configuration (`+plugin/testFull`, `Test/compile`). A task CI runs on one project
 * (`docs/docusaurusCreateSite`) whose name says nothing builds that project.
 */
function sbtTasks(args: readonly string[]): Judged | undefined {
  const tasks = args.filter((w) => !w.startsWith('-') && !/^\+\+/.test(w));
  if (tasks.length === 0 || tasks.some((t) => /\s|:=/.test(t))) return undefined;
  const kinds: Judged['kind'][] = [];
  for (const word of tasks) {
    const parts = word.replace(/^\+/, '').split('/');
    const task = parts.at(-1)!;
    if (SBT_SETUP.test(task)) continue;
    if (task.split(/(?=[A-Z])/).some((part) => NEVER_NAME.test(part))) return undefined;
    const kind = SBT_CHECKS[task] ?? byCamelName(task)?.kind ?? (parts.length > 1 ? 'build' : undefined);
    if (kind === undefined) return undefined;
    kinds.push(kind);
  }
  if (kinds.length === 0) return undefined;
  return { kind: kinds.includes('test') ? 'test' : kinds[0]! };
}

/** A dune command's explicit targets (`dune build http cohttp`, `dune runtest cohttp-eio`): folders, not aliases. */
export function duneTargets(words: readonly string[]): string[] {
  const at = words.findIndex((w) => /(^|\/)dune$/.test(w));
  if (at < 0) return [];
  const sub = words.slice(at + 1).find((w) => !w.startsWith('-'));
  if (sub === undefined || !['build', 'runtest', 'test'].includes(sub)) return [];
  return words.slice(words.indexOf(sub, at + 1) + 1).filter((w) => !w.startsWith('-') && !w.startsWith('@'));
}
