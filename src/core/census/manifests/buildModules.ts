/**
 * The projects a build file declares in other folders: sbt's (`lazy val core = project.in(file("core"))`,
 * `projectMatrix.in(file("munit"))`) and a dune project's packages, each in the folder named after it
 * (`cohttp-eio.opam` and `cohttp-eio/`). Each is a project of its own, checked from its build's root
 * (`sbt core/test`, `dune runtest cohttp-eio`). An sbt root with no sources of its own only gathers
 * its projects: with a package.json that checks nothing beside it (tooling for the build's tests), it
 * is no project, and never claims their folders.
 */
import { posix } from 'node:path';
import type { Project } from '../types';

export interface BuildModules {
  modules: Project[];
  /** Each module's build root ('' at the top). */
  roots: Map<string, string>;
  /** Build roots that only gather their modules. */
  aggregators: string[];
}

const inFolder = (dir: string, command: string) => (dir === '' ? command : `cd ${dir} && ${command}`);
const under = (dir: string, path: string) => (dir === '' ? path : `${dir}/${path}`);

/** `lazy val core = project.in(file("core"))`, `(projectMatrix in file("x"))`, `crossProject(JVMPlatform).in(file("y"))`. */
const SBT_PROJECT =
  /\b(?:lazy\s+)?val\s+`?(\w+)`?\s*=\s*\(?\s*(?:project|projectMatrix|crossProject\([^)]*\)(?:\s*\.\s*\w+\([^)]*\))*)\s*(?:\.\s*in\s*\(|\s+in\s+)\s*file\(\s*"([^"]+)"\s*\)/g;
/** Names of scripts that check (`test`, `lint:js`): a package.json with none of them is the build's tooling. */
const CHECK_SCRIPT = /^(test|lint|check|typecheck|type-check|build|compile)\b/;

export function readBuildModules(
  projects: readonly Project[],
  texts: ReadonlyMap<string, string>,
  files: readonly string[],
): BuildModules {
  const result: BuildModules = { modules: [], roots: new Map(), aggregators: [] };
  const taken = new Set(projects.map((p) => p.dir));
  const add = (module: Project, root: string) => {
    if (taken.has(module.dir)) return;
    taken.add(module.dir);
    result.modules.push(module);
    result.roots.set(module.dir, root);
  };
  for (const project of projects) {
    const root = project.dir;
    if (posix.basename(project.manifest) === 'build.sbt') {
      for (const m of (texts.get(project.manifest) ?? '').matchAll(SBT_PROJECT)) {
        const dir = posix.normalize(under(root, m[2]!)).replace(/^\.$/, '').replace(/\/$/, '');
        if (dir === root || dir.startsWith('..')) continue;
        const tested = files.some((f) => f.startsWith(`${dir}/`) && /(^|\/)src\/test\//.test(f.slice(dir.length)));
        add(
          {
            dir,
            ecosystem: 'scala',
            name: m[1]!,
            manifest: project.manifest,
            frameworks: [],
            scripts: {},
            buildChecks: [inFolder(root, `sbt ${m[1]}/${tested ? 'test' : 'compile'}`)],
          },
          root,
        );
      }
      // sbt's own layout (`src/main/scala`) at the root: the root is a project of its own too.
      const ownSources = files.some((f) => f.startsWith(under(root, 'src/')));
      const checksScripts = Object.keys(project.scripts).some((name) => CHECK_SCRIPT.test(name));
      if (!ownSources && !checksScripts) result.aggregators.push(root);
    }
    if (posix.basename(project.manifest) === 'dune-project') {
      const text = texts.get(project.manifest) ?? '';
      const packages = new Set([
        ...files
          .filter((f) => posix.dirname(f) === (root || '.') && f.endsWith('.opam'))
          .map((f) => posix.basename(f, '.opam')),
        ...[...text.matchAll(/\(package\s+\(name\s+([\w-]+)\)/g)].map((m) => m[1]!),
      ]);
      for (const name of packages) {
        const dir = under(root, name);
        if (!files.some((f) => f.startsWith(`${dir}/`) && posix.basename(f) === 'dune')) continue;
        const opam = under(root, `${name}.opam`);
        add(
          {
            dir,
            ecosystem: 'ocaml',
            name,
            manifest: files.includes(opam) ? opam : project.manifest,
            frameworks: [],
            scripts: {},
            buildChecks: [inFolder(root, `dune build ${name}`), inFolder(root, `dune runtest ${name}`)],
          },
          root,
        );
      }
    }
  }
  return result;
}
