/**
 * The commands a repository's CI runs, with the folder each runs in: GitHub Actions
 * (`run:` steps, well-known check Actions (ciActions.ts), `working-directory:` on the step, `defaults.run.working-directory` of the
 * job or workflow, `${{ matrix.x }}` expanded over the matrix), `.gitlab-ci.yml` (`script:`,
 * `parallel: matrix:`), `azure-pipelines.yml` (`script:`/`bash:` steps, `workingDirectory:`,
 * DotNetCoreCLI tasks, `$(var)` matrices) and `.circleci/config.yml` (circleCi.ts). Each script
 * is cut into commands as a shell reads it (shellScript.ts); a `cd dir` moves the commands after it; `env:` values CI sets literally
 * are expanded; Python steps are skipped and PowerShell steps keep only their plain commands.
 */
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { actionCommand } from './ciActions';
import { checkCommand } from './checkCommands';
import { envPrefix, expandEnv, literalEnv, runLines, stringRecord, workingDirectory, type Add } from './ciSteps';
import { CmakeSteps } from './cmakeSteps';
import { readCircle } from './circleCi';
import { asRecord } from '../manifests/manifests';
import type { RepoCommand, Unread } from '../types';

const MAX_MATRIX = 16;

/** CI files no reader here reads, by path (a folder ends with `/`): named where a layer is left without a check. */
const UNREAD_CI: [path: string, kind: string][] = [
  ['.woodpecker.yml', 'Woodpecker CI'],
  ['.woodpecker.yaml', 'Woodpecker CI'],
  ['.woodpecker/', 'Woodpecker CI'],
  ['Jenkinsfile', 'Jenkins'],
  ['.buildkite/', 'Buildkite'],
  ['.drone.yml', 'Drone CI'],
  ['.travis.yml', 'Travis CI'],
  ['bitbucket-pipelines.yml', 'Bitbucket Pipelines'],
  ['.bazelci/', 'Bazel CI'],
  ['appveyor.yml', 'AppVeyor'],
  ['.appveyor.yml', 'AppVeyor'],
  ['.cirrus.yml', 'Cirrus CI'],
  ['.semaphore/', 'Semaphore'],
  ['.tekton/', 'Tekton'],
  ['.forgejo/workflows/', 'Forgejo Actions'],
  ['.gitea/workflows/', 'Gitea Actions'],
  ['cloudbuild.yaml', 'Google Cloud Build'],
  ['buildspec.yml', 'AWS CodeBuild'],
];

const MATRIX_VALUE = /\$\{\{\s*matrix\.[^}]*\}\}/;
/** A command that may check something by its words, though the census does not judge it one: worth naming when unused. */
export const CHECK_WORDS = /\b(test|tests|lint|check|build|verify|spec)\b/;

export interface CiRead {
  commands: RepoCommand[];
  files: string[];
  warnings: string[];
  /** Each read file's jobs, by name: what `init` says it read where it found no check. */
  jobs: Record<string, string[]>;
  /** What CI holds that the census could not use: a CI kind it does not read, a step over a matrix value it cannot expand. */
  unread: Unread[];
}

/** CI files live in hidden folders the file walk skips: they are looked up by name. */
export async function readCiCommands(workspace: string, workflowNames: readonly string[]): Promise<CiRead> {
  const result: CiRead = { commands: [], files: [], warnings: [], jobs: {}, unread: [] };
  for (const [path, kind] of UNREAD_CI)
    if (
      await access(join(workspace, path)).then(
        () => true,
        () => false,
      )
    )
      result.unread.push({ what: path, why: `${kind}, a CI kind the census does not read` });
  const candidates = [
    ...workflowNames.map((name) => `.github/workflows/${name}`),
    '.gitlab-ci.yml',
    'azure-pipelines.yml',
    '.azure-pipelines.yml',
    '.circleci/config.yml',
  ];
  for (const file of candidates) {
    const text = await readFile(join(workspace, file), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const doc = parseDocument(text, { uniqueKeys: false });
    if (doc.errors.length > 0) {
      const error = doc.errors[0]!;
      result.warnings.push(
        `${file}:${error.linePos?.[0].line ?? 1}: not valid YAML (${error.message.split('\n')[0]}); its commands are not used`,
      );
      continue;
    }
    const root = asRecord(doc.toJS());
    result.files.push(file);
    result.jobs[file] = jobNames(file, root);
    for (const included of file === '.gitlab-ci.yml' ? gitlabIncludes(root.include) : [])
      result.unread.push({
        what: `${file} include ${included}`,
        why: 'a file it includes, which the census does not read',
      });
    const add = (command: string, cwd: string) => result.commands.push({ command, cwd, origin: file });
    const unexpanded = (job: string, line: string, expression: string) => {
      const what = `${file} job ${job}: ${line.length > 120 ? `${line.slice(0, 119)}…` : line}`;
      if (!result.unread.some((u) => u.what === what))
        result.unread.push({ what, why: `${expression} is a matrix value the census could not expand` });
    };
    if (file.startsWith('.github/')) readGithub(root, add, unexpanded);
    else if (file === '.gitlab-ci.yml') readGitlab(root, add);
    else if (file.startsWith('.circleci/')) readCircle(root, add);
    else readAzure(root, add);
  }
  return result;
}

/** The jobs a CI file names: GitHub's, CircleCI's and Azure's `jobs`, GitLab's top-level keys that are no settings. */
function jobNames(file: string, root: Record<string, unknown>): string[] {
  if (file === '.gitlab-ci.yml')
    return Object.keys(root).filter((name) => !GITLAB_RESERVED.has(name) && !name.startsWith('.'));
  if (!file.includes('azure')) return Object.keys(asRecord(root.jobs));
  const stages = Array.isArray(root.stages) ? root.stages.map(asRecord) : [root];
  return stages.flatMap((stage) =>
    (Array.isArray(stage.jobs) ? stage.jobs.map(asRecord) : [])
      .map((job) => job.job ?? job.deployment)
      .filter((name): name is string => typeof name === 'string'),
  );
}

/** What a `.gitlab-ci.yml` includes: a path, or a `local`, `file`, `template`, `remote` or `component` entry. */
function gitlabIncludes(include: unknown): string[] {
  return (Array.isArray(include) ? include : include === undefined ? [] : [include]).flatMap((entry) => {
    if (typeof entry === 'string') return [entry];
    const named = ['local', 'file', 'template', 'remote', 'component'].map((key) => asRecord(entry)[key]);
    return named.flat().filter((value): value is string => typeof value === 'string');
  });
}

/** The first line of a step that names a matrix value left unexpanded and may check something, with that value. */
function unexpandedLine(text: string): { line: string; expression: string } | undefined {
  for (const line of text.split('\n').map((l) => l.trim())) {
    const expression = MATRIX_VALUE.exec(line)?.[0];
    if (expression && (/^cd\b/.test(line) || CHECK_WORDS.test(line) || checkCommand(line))) return { line, expression };
  }
  return undefined;
}

function readGithub(
  root: Record<string, unknown>,
  add: Add,
  unexpanded: (job: string, line: string, expression: string) => void,
): void {
  const workflowDir = workingDirectory(asRecord(asRecord(root.defaults).run)['working-directory']);
  const workflowShell = asRecord(asRecord(root.defaults).run).shell;
  const workflowEnv = literalEnv(root.env);
  const referenced = new Set(
    [...JSON.stringify(root).matchAll(/\benv\.(\w+)|\$\{?([A-Za-z_]\w*)/g)].map((m) => (m[1] ?? m[2])!),
  );
  for (const [jobName, jobValue] of Object.entries(asRecord(root.jobs))) {
    const job = asRecord(jobValue);
    const jobRun = asRecord(asRecord(job.defaults).run);
    const jobDir = typeof jobRun['working-directory'] === 'string' ? jobRun['working-directory'] : undefined;
    const windows = /windows/i.test(JSON.stringify(job['runs-on'] ?? ''));
    const jobShell = jobRun.shell ?? workflowShell ?? (windows ? 'pwsh' : 'bash');
    const jobEnv = { ...workflowEnv, ...literalEnv(job.env) };
    const combos = matrixCombos(asRecord(asRecord(job.strategy).matrix));
    // A key some combinations set (an `include` entry's `cabal_flags`) is empty in the others, as GitHub expands it.
    const keys = new Set(combos.flatMap((c) => Object.keys(c)));
    const cmake = combos.map(() => new CmakeSteps());
    for (const step of Array.isArray(job.steps) ? job.steps.map(asRecord) : []) {
      // A check Action with no `run:` (`julia-runtest`, `golangci-lint-action`) runs its command in its own `working-directory`.
      const action =
        typeof step.run !== 'string' && typeof step.uses === 'string'
          ? actionCommand(step.uses, stringRecord(asRecord(step.with)))
          : undefined;
      const script = typeof step.run === 'string' ? step.run : action?.command;
      if (script === undefined) continue;
      const shell = action ? 'bash' : typeof step.shell === 'string' ? step.shell : String(jobShell);
      if (/^python|^cmd/.test(shell)) continue;
      const stepDir = action
        ? (action.dir ?? '.')
        : typeof step['working-directory'] === 'string'
          ? step['working-directory']
          : undefined;
      const env = { ...jobEnv, ...literalEnv(step.env) };
      for (const [combo, vars] of combos.entries()) {
        const expand = (text: string) =>
          text
            .replace(/\$\{\{\s*matrix\.([\w.-]+)\s*\}\}/g, (whole, name: string) =>
              name in vars ? vars[name]! : keys.has(name) ? '' : whole,
            )
            // `${{ matrix.x || 'default' }}`: the value where the combination sets one, else the default.
            .replace(
              /\$\{\{\s*matrix\.([\w.-]+)\s*\|\|\s*'([^']*)'\s*\}\}/g,
              (whole, name: string, fallback: string) =>
                vars[name] ? vars[name] : name in vars || keys.has(name) || !keys.size ? fallback : whole,
            )
            .replace(/\$\{\{\s*env\.(\w+)\s*\}\}/g, (whole, name: string) => env[name] ?? whole);
        // A folder CI computes and we cannot (`${{ inputs.dir }}`) is unknown: those steps are not the root's.
        const dir =
          stepDir !== undefined
            ? workingDirectory(expand(stepDir))
            : jobDir !== undefined
              ? workingDirectory(expand(jobDir))
              : (workflowDir ?? '');
        // A step in a folder or over a value CI computes from its matrix is named where a layer is left without a check.
        const dirText = expand(stepDir ?? jobDir ?? '');
        const dirExpression = MATRIX_VALUE.exec(dirText)?.[0];
        const lost = dirExpression
          ? { line: `working-directory: ${dirText}`, expression: dirExpression }
          : unexpandedLine(expand(script));
        if (lost) unexpanded(jobName, lost.line, lost.expression);
        if (dir === undefined) continue;
        const given = envPrefix(env, referenced);
        runLines(
          expandEnv(expand(script), env),
          dir,
          (command, cwd) => add(`${given}${command}`, cwd),
          /^(pwsh|powershell)/.test(shell),
          cmake[combo],
        );
      }
    }
  }
}

const GITLAB_RESERVED = new Set([
  'stages',
  'variables',
  'default',
  'include',
  'workflow',
  'image',
  'services',
  'cache',
  'before_script',
  'after_script',
  'pages',
]);

function readGitlab(root: Record<string, unknown>, add: Add): void {
  for (const [name, value] of Object.entries(root)) {
    if (GITLAB_RESERVED.has(name) || name.startsWith('.')) continue;
    const job = asRecord(value);
    const combos = Array.isArray(asRecord(job.parallel).matrix)
      ? (asRecord(job.parallel).matrix as unknown[]).flatMap((entry) => matrixCombos(asRecord(entry)))
      : [{}];
    const scripts = [job.before_script, job.script]
      .flatMap((s) => (Array.isArray(s) ? s : typeof s === 'string' ? [s] : []))
      .filter((s): s is string => typeof s === 'string');
    for (const vars of combos.slice(0, MAX_MATRIX)) {
      const expand = (text: string) =>
        text.replace(/\$\{?(\w+)\}?/g, (whole, key: string) => (key in vars ? vars[key]! : whole));
      runLines(scripts.map(expand).join('\n'), '', add, false);
    }
  }
}

function readAzure(root: Record<string, unknown>, add: Add): void {
  const jobs: Record<string, unknown>[] = [];
  const collectJobs = (list: unknown) => {
    for (const job of Array.isArray(list) ? list.map(asRecord) : []) jobs.push(job);
  };
  if (Array.isArray(root.steps)) jobs.push(root);
  collectJobs(root.jobs);
  for (const stage of Array.isArray(root.stages) ? root.stages.map(asRecord) : []) collectJobs(stage.jobs);
  for (const job of jobs) {
    const matrix = asRecord(asRecord(job.strategy).matrix);
    const combos = Object.keys(matrix).length > 0 ? Object.values(matrix).map((v) => stringRecord(asRecord(v))) : [{}];
    for (const step of Array.isArray(job.steps) ? job.steps.map(asRecord) : []) {
      for (const vars of combos.slice(0, MAX_MATRIX)) {
        const expand = (text: string) =>
          text.replace(/\$\((\w+)\)/g, (whole, key: string) => (key in vars ? vars[key]! : whole));
        const dir = typeof step.workingDirectory === 'string' ? workingDirectory(expand(step.workingDirectory)) : '';
        if (dir === undefined) continue;
        const script = [step.script, step.bash].find((s): s is string => typeof s === 'string');
        if (script !== undefined) runLines(expand(script), dir, add, false);
        const powershell = [step.pwsh, step.powershell].find((s): s is string => typeof s === 'string');
        if (powershell !== undefined) runLines(expand(powershell), dir, add, true);
        const task = typeof step.task === 'string' ? step.task : '';
        const inputs = stringRecord(asRecord(step.inputs));
        if (/^DotNetCoreCLI@/i.test(task) && inputs.command)
          add(
            expand(['dotnet', inputs.command, inputs.projects ?? '', inputs.arguments ?? ''].filter(Boolean).join(' ')),
            dir,
          );
      }
    }
  }
}

function prefixed(key: string, record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([name, value]) => [`${key}.${name}`, value]));
}

/** Every combination of a matrix's lists (scalars, or objects' scalar fields), plus its `include` entries; capped. */
function matrixCombos(matrix: Record<string, unknown>): Record<string, string>[] {
  let combos: Record<string, string>[] = [{}];
  for (const [key, values] of Object.entries(matrix)) {
    if (key === 'include' || key === 'exclude' || !Array.isArray(values)) continue;
    // A list of objects (`config: [{cc: gcc, build_type: Debug}]`) sets `matrix.config.cc`, `matrix.config.build_type`.
    const entries = values.flatMap((v): Record<string, string>[] =>
      ['string', 'number', 'boolean'].includes(typeof v)
        ? [{ [key]: String(v) }]
        : v && typeof v === 'object' && !Array.isArray(v)
          ? [prefixed(key, stringRecord(asRecord(v)))]
          : [],
    );
    if (entries.length === 0) continue;
    combos = combos.flatMap((combo) => entries.map((entry) => ({ ...combo, ...entry }))).slice(0, MAX_MATRIX);
  }
  const includes = Array.isArray(matrix.include) ? matrix.include.map((entry) => stringRecord(asRecord(entry))) : [];
  if (includes.length > 0 && combos.length === 1 && Object.keys(combos[0]!).length === 0) combos = [];
  return [...combos, ...includes].slice(0, MAX_MATRIX);
}
