/**
 * A Python project installed into its own virtualenv in development mode (`pip install -e .`) imports
 * itself through the path that install wrote: an `easy-install.pth` or `__editable__.*.pth` line, or a
 * setuptools finder's `MAPPING`, each naming the user's checkout. Verification links that virtualenv
 * into its worktree but the sandbox hides the checkout, so `import pkg` failed there (bleach: its
 * pytest config names a warning class of the package, and every pytest command "failed before any
 * change"). The same folders of the worktree, first on PYTHONPATH, import the code being verified, as
 * the install would put it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';

/** The worktree's folders standing for the checkout's folders the linked virtualenvs' editable installs name. */
export function editablePythonPath(checkout: string, worktree: string, links: readonly string[]): string[] {
  const inside = (path: string) => path === checkout || path.startsWith(checkout + sep);
  const paths = new Set<string>();
  for (const link of links.filter((l) => /(^|[\\/])\.?venv$/.test(l))) {
    for (const site of sitePackages(join(checkout, link))) {
      for (const name of readdirSync(site)) {
        const text = /\.pth$/.test(name) || /^__editable__.*_finder\.py$/.test(name) ? read(join(site, name)) : '';
        for (const path of [...pthPaths(text), ...(name.endsWith('.py') ? finderRoots(text) : [])])
          if (inside(path)) paths.add(join(worktree, relative(checkout, path)));
      }
    }
  }
  return [...paths];
}

function sitePackages(venv: string): string[] {
  const lib = join(venv, 'lib');
  const unix = existsSync(lib)
    ? readdirSync(lib)
        .filter((d) => /^python\d/.test(d))
        .map((d) => join(lib, d, 'site-packages'))
    : [];
  return [...unix, join(venv, 'Lib', 'site-packages')].filter((d) => existsSync(d));
}

const read = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

/** A `.pth` file's lines that are folders (its `import …` lines run code, they name none). */
function pthPaths(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => isAbsolute(l));
}

/** The folders holding the packages a setuptools editable finder maps (`{'pkg': '/checkout/src/pkg'}` → `/checkout/src`). */
function finderRoots(text: string): string[] {
  const mapping = /^MAPPING\s*(?::[^=\n]*)?=\s*(\{[^}]*\})/m.exec(text)?.[1] ?? '';
  return [...mapping.matchAll(/:\s*['"]([^'"]+)['"]/g)]
    .map((m) => m[1]!)
    .filter((p) => isAbsolute(p))
    .map((p) => p.slice(0, Math.max(p.lastIndexOf(sep), 0)) || sep);
}
