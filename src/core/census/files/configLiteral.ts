/**
 * A test runner's config read without running it (the census executes nothing): the object a
 * config module exports (`module.exports = {…}`, `export default defineConfig({…})`, `const config:
 * Config = {…}; export default config`, an arrow returning one), or a JSON file, parsed as literals.
 * Strings, numbers, booleans, arrays and objects are read; anything computed (`path.join(…)`, a
 * variable, a template with `${}`) reads as COMPUTED, so a caller falls back on what it cannot know.
 */

export const COMPUTED = Symbol('computed');
export type Literal = string | number | boolean | null | typeof COMPUTED | Literal[] | { [key: string]: Literal };
export type LiteralObject = { [key: string]: Literal };

const WRAPPERS = /^(?:defineConfig|defineProject|defineWorkspace|defineJestConfig|mergeConfig)\s*\(/;

/** The exported config of a JS/TS module or a JSON document; undefined when none is found. */
export function moduleConfig(text: string): Literal | undefined {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return new Reader(text, text.indexOf(trimmed[0]!)).value();
  const anchor = /\bmodule\.exports\s*=|\bexport\s+default\b/.exec(text);
  return anchor ? expressionAt(text, anchor.index + anchor[0].length, 0) : undefined;
}

/** `obj.a.b` when each step is an object; undefined otherwise. */
export function pathOf(value: Literal | undefined, ...keys: string[]): Literal | undefined {
  let at = value;
  for (const key of keys) at = isObject(at) ? at[key] : undefined;
  return at;
}

export function isObject(value: Literal | undefined): value is LiteralObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string or a list's strings (a single string is a list of one); computed items are left out. */
export function strings(value: Literal | undefined): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function expressionAt(text: string, start: number, depth: number): Literal | undefined {
  if (depth > 4) return undefined;
  const rest = text.slice(start).replace(/^\s+/, '');
  const at = text.length - rest.length;
  const wrapper = WRAPPERS.exec(rest);
  if (wrapper) return expressionAt(text, at + wrapper[0].length, depth + 1);
  const arrow =
    /^(?:async\s+)?(?:\([^)]*\)|\w+)\s*=>\s*/.exec(rest) ?? /^(?:async\s+)?function\b[^(]*\([^)]*\)\s*/.exec(rest);
  if (arrow) {
    const body = rest.slice(arrow[0].length);
    if (body.startsWith('(')) return expressionAt(text, at + arrow[0].length + 1, depth + 1);
    const returned = /\breturn\s+/.exec(body);
    return returned
      ? expressionAt(text, at + arrow[0].length + returned.index + returned[0].length, depth + 1)
      : undefined;
  }
  if (rest.startsWith('{') || rest.startsWith('[')) return new Reader(text, at).value();
  const name = /^([A-Za-z_$][\w$]*)\s*(?:;|$|\n)/.exec(rest)?.[1];
  if (!name) return undefined;
  const declared = new RegExp(`\\b(?:const|let|var)\\s+${name.replace(/\$/g, '\\$')}\\s*(?::[^=]+)?=`).exec(text);
  return declared ? expressionAt(text, declared.index + declared[0].length, depth + 1) : undefined;
}

/** A tolerant reader of JS literals: what it cannot read is skipped to the next `,` or closing bracket. */
class Reader {
  constructor(
    private readonly text: string,
    private pos: number,
  ) {}

  value(): Literal {
    this.space();
    const c = this.text[this.pos];
    let read: Literal;
    if (c === '"' || c === "'") read = this.string();
    else if (c === '`') {
      const raw = this.string();
      read = raw.includes('${') ? COMPUTED : raw;
    } else if (c === '[') read = this.array();
    else if (c === '{') read = this.object();
    else {
      const word = /^(?:-?\d+(?:\.\d+)?|true|false|null)(?![\w$.(])/.exec(this.text.slice(this.pos, this.pos + 32));
      if (word) {
        this.pos += word[0].length;
        read = word[0] === 'true' ? true : word[0] === 'false' ? false : word[0] === 'null' ? null : Number(word[0]);
      } else read = COMPUTED;
    }
    this.space();
    // `{…} satisfies Config`, `[…] as const`: a type says nothing of the value.
    if (read !== COMPUTED && /^(?:as|satisfies)\b/.test(this.text.slice(this.pos, this.pos + 10))) {
      this.skipExpression();
      return read;
    }
    // `'a' + b`, `path.join(…)`: an expression, not a literal.
    if (!this.atEnd()) {
      this.skipExpression();
      return COMPUTED;
    }
    return read;
  }

  private atEnd(): boolean {
    const c = this.text[this.pos];
    return c === undefined || c === ',' || c === '}' || c === ']' || c === ')' || c === ';';
  }

  private array(): Literal[] {
    const items: Literal[] = [];
    this.pos++;
    for (this.space(); this.pos < this.text.length && this.text[this.pos] !== ']'; this.space()) {
      if (this.text.startsWith('...', this.pos)) this.skipExpression();
      else items.push(this.value());
      if (this.text[this.pos] === ',') this.pos++;
      else if (this.text[this.pos] !== ']') break;
    }
    this.pos++;
    return items;
  }

  private object(): LiteralObject {
    const out: LiteralObject = {};
    this.pos++;
    for (this.space(); this.pos < this.text.length && this.text[this.pos] !== '}'; this.space()) {
      const c = this.text[this.pos]!;
      let key: string | undefined;
      if (this.text.startsWith('...', this.pos)) this.skipExpression();
      else if (c === '"' || c === "'") key = this.string();
      else if (c === '[') this.skipBalanced();
      else {
        const word = /^[A-Za-z_$][\w$]*/.exec(this.text.slice(this.pos, this.pos + 128))?.[0];
        if (!word) break;
        this.pos += word.length;
        key = word;
      }
      this.space();
      if (this.text[this.pos] === ':') {
        this.pos++;
        const value = this.value();
        if (key !== undefined) out[key] = value;
      } else if (this.text[this.pos] === '(') {
        // A method (`setup() {…}`): its parameters and body skipped.
        this.skipBalanced();
        this.space();
        this.skipBalanced();
      } else if (key !== undefined) out[key] = COMPUTED; // shorthand `{ include }`
      this.space();
      if (this.text[this.pos] === ',') this.pos++;
      else if (this.text[this.pos] !== '}') break;
    }
    this.pos++;
    return out;
  }

  private string(): string {
    const quote = this.text[this.pos]!;
    let out = '';
    for (this.pos++; this.pos < this.text.length && this.text[this.pos] !== quote; this.pos++) {
      if (this.text[this.pos] === '\\') {
        const next = this.text[++this.pos] ?? '';
        out += next === 'n' ? '\n' : next === 't' ? '\t' : next;
      } else out += this.text[this.pos];
    }
    this.pos++;
    return out;
  }

  /** A bracketed span (`(…)`, `[…]`, `{…}`), strings and comments inside it included. */
  private skipBalanced(): void {
    const open = this.text[this.pos];
    if (open !== '(' && open !== '[' && open !== '{') return;
    let depth = 0;
    while (this.pos < this.text.length) {
      this.space();
      const c = this.text[this.pos]!;
      if (c === '"' || c === "'" || c === '`') {
        this.string();
        continue;
      }
      this.pos++;
      if (c === '(' || c === '[' || c === '{') depth++;
      else if ((c === ')' || c === ']' || c === '}') && --depth === 0) return;
    }
  }

  /** To the next `,` or closing bracket at this depth. */
  private skipExpression(): void {
    while (this.pos < this.text.length) {
      this.space();
      const c = this.text[this.pos]!;
      if (c === ',' || c === '}' || c === ']' || c === ')' || c === ';') return;
      if (c === '"' || c === "'" || c === '`') this.string();
      else if (c === '(' || c === '[' || c === '{') this.skipBalanced();
      else this.pos++;
    }
  }

  /** Whitespace and comments. */
  private space(): void {
    for (;;) {
      const ws = /^\s+/.exec(this.text.slice(this.pos, this.pos + 256))?.[0].length ?? 0;
      this.pos += ws;
      if (this.text.startsWith('//', this.pos)) {
        const end = this.text.indexOf('\n', this.pos);
        this.pos = end < 0 ? this.text.length : end + 1;
      } else if (this.text.startsWith('/*', this.pos)) {
        const end = this.text.indexOf('*/', this.pos + 2);
        this.pos = end < 0 ? this.text.length : end + 2;
      } else if (ws === 0) return;
    }
  }
}
