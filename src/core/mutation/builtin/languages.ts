// The languages the built-in mutator reads (docs/proof.md, "How strength mutates code in other
// languages"), each with what its lexer and its statement mutants need to know. JavaScript and
// TypeScript are StrykerJS's (../stryker/), so they are not here.

export type Family = 'c-like' | 'python' | 'ruby';

export interface Language {
  name: string;
  family: Family;
  /** Whether a statement must end in `;` (a line without one is never deleted). */
  semicolons: boolean;
  /** Block comments nest (one inside another). */
  nestedComments?: boolean;
  /** `'x'` is a character (or a lifetime, in Rust), not a string. */
  charQuote?: boolean;
  /** Triple-quoted strings (`"""…"""`, and `'''…'''` where single quotes make strings). */
  tripleQuotes?: boolean;
  /** What opens an interpolation inside a double-quoted string (its text is skipped, never mutated). */
  interpolation?: '${' | '#{' | '\\(' | '{';
  /** A line whose code starts with `#` is a preprocessor directive. */
  directives?: boolean;
  /** What an early return inserts before a statement of a function that returns nothing. */
  returnEarly: string;
}

const C_LIKE = { family: 'c-like', semicolons: true, charQuote: true, returnEarly: 'return; ' } as const;

const LANGUAGES: Record<string, Language> = {
  go: { ...C_LIKE, name: 'go', semicolons: false },
  java: { ...C_LIKE, name: 'java', tripleQuotes: true, returnEarly: 'if (true) return; ' },
  kotlin: {
    ...C_LIKE,
    name: 'kotlin',
    semicolons: false,
    nestedComments: true,
    tripleQuotes: true,
    interpolation: '${',
  },
  csharp: { ...C_LIKE, name: 'csharp', directives: true, interpolation: '{' },
  rust: { ...C_LIKE, name: 'rust', nestedComments: true },
  swift: {
    ...C_LIKE,
    name: 'swift',
    semicolons: false,
    nestedComments: true,
    charQuote: false,
    tripleQuotes: true,
    interpolation: '\\(',
  },
  c: { ...C_LIKE, name: 'c', directives: true },
  cpp: { ...C_LIKE, name: 'cpp', directives: true },
  php: { ...C_LIKE, name: 'php', charQuote: false },
  dart: { ...C_LIKE, name: 'dart', nestedComments: true, charQuote: false, tripleQuotes: true, interpolation: '${' },
  scala: { ...C_LIKE, name: 'scala', semicolons: false, nestedComments: true, tripleQuotes: true, interpolation: '${' },
  python: {
    name: 'python',
    family: 'python',
    semicolons: false,
    tripleQuotes: true,
    interpolation: '{',
    returnEarly: 'return; ',
  },
  ruby: { name: 'ruby', family: 'ruby', semicolons: false, interpolation: '#{', returnEarly: 'return; ' },
};

const EXTENSIONS: Record<string, string> = {
  go: 'go',
  java: 'java',
  kt: 'kotlin',
  kts: 'kotlin',
  cs: 'csharp',
  rs: 'rust',
  swift: 'swift',
  c: 'c',
  h: 'c',
  cc: 'cpp',
  cpp: 'cpp',
  cxx: 'cpp',
  hh: 'cpp',
  hpp: 'cpp',
  hxx: 'cpp',
  php: 'php',
  dart: 'dart',
  scala: 'scala',
  sc: 'scala',
  py: 'python',
  rb: 'ruby',
  rake: 'ruby',
};

/** The language of a file: named (`go`, `python`, …, or an extension), else from its extension; undefined when we do not mutate it. */
export function languageOf(path: string, name?: string): Language | undefined {
  const key = name?.toLowerCase();
  if (key) return LANGUAGES[key] ?? LANGUAGES[EXTENSIONS[key] ?? ''];
  const extension = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase() ?? '';
  return LANGUAGES[EXTENSIONS[extension] ?? ''];
}
