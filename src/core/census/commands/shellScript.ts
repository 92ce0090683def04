/**
 * A CI step's script cut into simple commands as a shell would read it: quotes and `$(…)`
 * kept whole, `\` line continuations joined, comments dropped, commands split at newlines,
 * `;`, `&&`, `||`, `|` and `&`. What is no command of its own goes: a heredoc's body (inline
 * Python, a file written with `cat <<EOF`) and the command that reads it, the consumer of a
 * pipe (`| tee log`), a command CI lets fail (`ruff check || true`), and the conditions of
 * `if`/`while`/`for`/`case` (the commands inside them are kept).
 */

export interface ScriptCommand {
  /** The command's own text, trimmed. */
  text: string;
  /** Run in a subshell (`(cd web && make)`), this one's number: a `cd` there ends with it. */
  subshell?: number;
}

const OPENERS = /^(then|do|else|\{|\()\s+/;
const HEADERS = /^(if|elif|while|until|for|case|select|function)\b|^(fi|done|esac|\}|\)|;;)$|^[\w-]+\s*\(\)\s*\{?$/;
/** What CI runs after `||` to tolerate a failure. */
const TOLERATED = /^(true|:|exit 0|echo\b.*)$/;

export function scriptCommands(script: string): ScriptCommand[] {
  const pieces: { text: string; after: string; heredoc: boolean }[] = [];
  let current = '';
  let heredoc = false;
  let after = '';
  let quote: '"' | "'" | undefined;
  let depth = 0;
  const pendingHeredocs: string[] = [];
  const push = (op: string) => {
    const text = current.trim();
    if (text !== '') pieces.push({ text, after, heredoc });
    else if (pieces.length > 0 && op !== '\n') pieces.at(-1)!.heredoc ||= heredoc;
    current = '';
    heredoc = false;
    after = op;
  };
  const s = script.replace(/\r\n?/g, '\n');
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote === "'") {
      current += c;
      if (c === "'") quote = undefined;
      continue;
    }
    if (c === '\\') {
      if (s[i + 1] === '\n') {
        i++;
        while (s[i + 1] === ' ' || s[i + 1] === '\t') i++;
        if (!/\s$/.test(current)) current += ' ';
      } else {
        current += c + (s[i + 1] ?? '');
        i++;
      }
      continue;
    }
    if (quote === '"') {
      current += c;
      if (c === '"') quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      current += c;
      continue;
    }
    if (c === '$' && s[i + 1] === '(') {
      depth++;
      current += '$(';
      i++;
      continue;
    }
    if (depth > 0) {
      if (c === '(') depth++;
      if (c === ')') depth--;
      current += c;
      continue;
    }
    if (c === '#' && (current === '' || /\s$/.test(current))) {
      while (i + 1 < s.length && s[i + 1] !== '\n') i++;
      continue;
    }
    if (c === '<' && s[i + 1] === '<' && s[i + 2] !== '<') {
      const word = /^<<-?\s*(['"]?)([\w.-]+)\1/.exec(s.slice(i));
      if (word) {
        pendingHeredocs.push(word[2]!);
        heredoc = true;
        current += word[0];
        i += word[0].length - 1;
        continue;
      }
    }
    if (c === '\n') {
      push('\n');
      // A heredoc's body runs up to its terminator line: none of it is a command.
      while (pendingHeredocs.length > 0) {
        const terminator = pendingHeredocs.shift()!;
        let end = s.indexOf('\n', i + 1);
        for (;;) {
          const line = s.slice(i + 1, end < 0 ? s.length : end);
          i = end < 0 ? s.length : end;
          if (line.trim() === terminator || end < 0) break;
          end = s.indexOf('\n', i + 1);
        }
      }
      continue;
    }
    if (c === ';' && s[i + 1] === ';') {
      push(';;');
      i++;
      continue;
    }
    if (c === ';') {
      push(';');
      continue;
    }
    if ((c === '&' || c === '|') && s[i + 1] === c) {
      push(c + c);
      i++;
      continue;
    }
    if (c === '|' && s[i - 1] !== '>') {
      push('|');
      continue;
    }
    if (c === '&' && s[i - 1] !== '>' && s[i + 1] !== '>' && !/[<>]$/.test(current)) {
      push('&');
      continue;
    }
    current += c;
  }
  push('\n');

  const commands: ScriptCommand[] = [];
  const loops = unrolled(pieces);
  let subshells = 0;
  let subshell: number | undefined;
  for (let k = 0; k < loops.length; k++) {
    const piece = loops[k]!;
    if (piece.heredoc || piece.after === '|' || (piece.after === '||' && TOLERATED.test(piece.text))) continue;
    const next = loops[k + 1];
    if (next?.after === '||' && TOLERATED.test(next.text)) continue;
    let text = piece.text;
    while (OPENERS.test(text)) text = text.replace(OPENERS, '');
    // A subshell's parentheses (`(cd "$d" && make)`): its commands, each with the subshell's number.
    if (text.startsWith('(') && !text.startsWith('((')) {
      text = text.slice(1).trim();
      subshell = ++subshells;
    }
    const closes = /\)$/.test(text) && unbalanced(text);
    if (closes) text = text.slice(0, -1).trim();
    if (!HEADERS.test(text) && !/^(then|do|else)$/.test(text))
      commands.push(subshell === undefined ? { text } : { text, subshell });
    if (closes) subshell = undefined;
  }
  return commands;
}

type Piece = { text: string; after: string; heredoc: boolean };

/**
 * `for d in api web; do (cd "$d" && make test); done`: the body once per word, the variable replaced
 * (a CI matrix's folders are checked one by one). A list that is not literal words (`$(ls)`, `*`) is
 * left as it is: its body's commands keep the variable, as before.
 */
function unrolled(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (let k = 0; k < pieces.length; k++) {
    let head = pieces[k]!.text;
    while (OPENERS.test(head)) head = head.replace(OPENERS, '');
    const loop = /^for\s+([A-Za-z_]\w*)\s+in\s+(.+)$/.exec(head);
    const words = loop?.[2]!.trim().split(/\s+/).map(unquoted);
    const end = loop ? loopEnd(pieces, k) : -1;
    if (!loop || end < 0 || !words!.every((w) => /^[\w@%+=:,./-]+$/.test(w))) {
      out.push(pieces[k]!);
      continue;
    }
    const body = unrolled(pieces.slice(k + 1, end));
    const variable = new RegExp(`\\$\\{${loop[1]}\\}|\\$${loop[1]}\\b`, 'g');
    for (const word of words!)
      out.push(...body.map((piece) => ({ ...piece, text: piece.text.replace(variable, word) })));
    k = end;
  }
  return out;
}

/** The piece closing the loop opened at `start` (`done`, or `done)`), nested loops counted. */
function loopEnd(pieces: Piece[], start: number): number {
  let depth = 0;
  for (let k = start; k < pieces.length; k++) {
    const text = pieces[k]!.text.replace(OPENERS, '');
    if (/^(for|while|until|select)\b/.test(text)) depth++;
    if (/^done\b/.test(text) && --depth === 0) return k;
  }
  return -1;
}

function unquoted(word: string): string {
  return /^(["']).*\1$/.test(word) ? word.slice(1, -1) : word;
}

/** More closing parentheses than opening ones, outside quotes. */
function unbalanced(text: string): boolean {
  const bare = text.replace(/"[^"]*"|'[^']*'/g, '');
  return (bare.match(/\)/g)?.length ?? 0) > (bare.match(/\(/g)?.length ?? 0);
}

/** Lines of a PowerShell script that are plain commands (`dotnet test`), not PowerShell itself. */
export function powershellCommands(script: string): ScriptCommand[] {
  return script
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(
      (line) =>
        line !== '' &&
        !line.startsWith('#') &&
        !/^[$[{}()&@]|^[A-Z][a-z]+-[A-Z]\w*|^(if|foreach|for|while|try|catch|finally|param|function|else|elseif|return|throw)\b/i.test(
          line,
        ),
    )
    .flatMap((line) => scriptCommands(line));
}
