/**
 * tox.ini's `commands`, as the tox environment CI names would run them (`tox -e py312`, `python -m tox`,
 * `tox` alone: the base `[testenv]`), each a plain command line run from the folder of tox.ini: tox's
 * substitutions resolved where they name a folder of the project (`{toxinidir}/tests` → `tests`,
 * `{posargs}` → nothing, `{envpython}` → `python3`), a word built from one tox alone knows
 * (`{envsitepackagesdir}/pkg`) left out, a line tox lets fail (`- cmd`) and a factor's line of another
 * environment (`py38: pip install …`) left out.
 */

/** The commands of environment `env` (undefined: the base `[testenv]`), in order; [] when tox.ini has none. */
export function toxCommands(text: string, env?: string): string[] {
  const sections = iniSections(text);
  const own = env !== undefined ? sections.get(`testenv:${env}`)?.get('commands') : undefined;
  const value = own ?? sections.get('testenv')?.get('commands');
  if (value === undefined) return [];
  const factors = new Set((env ?? '').split('-').filter(Boolean));
  const commands: string[] = [];
  for (const raw of value.split('\n')) {
    let line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    // `py38,py39: cmd`: only in the environments with one of those factors.
    const factor = /^([\w.,!-]+):\s+(.*)$/.exec(line);
    if (factor) {
      if (!factor[1]!.split(',').some((f) => factors.has(f))) continue;
      line = factor[2]!;
    }
    if (line.startsWith('-')) continue;
    const command = substituted(line);
    if (command !== '') commands.push(command);
  }
  return commands;
}

/** The environment a tox command line selects (`tox -e py312`, `--env=lint`, `TOXENV=…`), undefined for the default. */
export function toxEnvOf(words: readonly string[]): string | undefined {
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if ((word === '-e' || word === '--env') && words[i + 1]) return words[i + 1]!.split(',')[0];
    const inline = /^(?:-e|--env=)(.+)$/.exec(word);
    if (inline) return inline[1]!.split(',')[0];
    const assigned = /^TOXENV=(.+)$/.exec(word);
    if (assigned) return assigned[1]!.split(',')[0];
  }
  return undefined;
}

function substituted(line: string): string {
  const text = line
    .replace(/\{toxinidir\}\//g, '')
    .replace(/\{toxinidir\}/g, '.')
    .replace(/\{posargs(?::([^}]*))?\}/g, (_whole, fallback: string | undefined) => fallback ?? '')
    .replace(/\{envpython\}/g, 'python3')
    .replace(/\{envbindir\}\//g, '');
  // A word built from what only tox knows (its env's site-packages, temp folder) has no meaning outside it.
  return text
    .split(/\s+/)
    .filter((word) => word !== '' && !/\{[\w:]+\}/.test(word))
    .join(' ');
}

/** An INI file's sections and their keys, continuation lines joined with newlines. */
function iniSections(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let section: Map<string, string> | undefined;
  let key: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const header = /^\[([^\]]+)\]\s*$/.exec(line);
    if (header) {
      section = new Map();
      sections.set(header[1]!.trim(), section);
      key = undefined;
      continue;
    }
    if (!section || /^\s*[#;]/.test(line)) continue;
    if (/^\s+\S/.test(line) && key !== undefined) {
      section.set(key, `${section.get(key)}\n${line.trim()}`);
      continue;
    }
    const entry = /^([\w.-]+)\s*=\s*(.*)$/.exec(line);
    if (entry) {
      key = entry[1]!;
      section.set(key, entry[2]!.trim());
    } else if (line.trim() === '') key = undefined;
  }
  return sections;
}
