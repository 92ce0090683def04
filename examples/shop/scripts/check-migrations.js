#!/usr/bin/env node
// Usage: node scripts/check-migrations.js [db]   (the database folder, as data; default db)
// Validates <db>/migrations/*.sql without a database:
//  - files are named NNN_name.sql and numbered 001, 002, … without gaps or duplicates;
//  - each file is a sequence of CREATE TABLE / ALTER TABLE / CREATE [UNIQUE] INDEX statements,
//    each ending with ';', with balanced parentheses and terminated strings and comments;
//  - every table named by REFERENCES, ALTER TABLE or CREATE INDEX … ON exists earlier.
// Prints `file:line: message` for every problem and exits 1; exits 0 when all is well.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

// This checker lives outside every layer's `owns`: the agent whose work it checks cannot rewrite it.
const ROOT = path.resolve(__dirname, '..');
const DIR = path.resolve(process.argv[2] || path.join(ROOT, 'db'), 'migrations');
const NAME_RE = /^(\d{3})_([a-z0-9_]+)\.sql$/;

const errors = [];
const rel = (file) => path.relative(ROOT, file).split(path.sep).join('/');
const fail = (file, line, message) => errors.push(`${rel(file)}:${line}: ${message}`);

/** Splits SQL text into tokens {t: 'word'|'ident'|'string'|'number'|'punct', v, line}. */
function tokenize(file, text) {
  const tokens = [];
  let i = 0;
  let line = 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') { line++; i++; continue; }
    if (/\s/.test(c)) { i++; continue; }
    if (c === '-' && text[i + 1] === '-') { while (i < text.length && text[i] !== '\n') i++; continue; }
    if (c === '/' && text[i + 1] === '*') {
      const start = line;
      const end = text.indexOf('*/', i + 2);
      if (end < 0) { fail(file, start, 'unterminated /* comment'); return tokens; }
      line += (text.slice(i, end).match(/\n/g) || []).length;
      i = end + 2;
      continue;
    }
    if (c === "'" || c === '"') {
      const start = line;
      let j = i + 1;
      for (;;) {
        if (j >= text.length) { fail(file, start, `unterminated ${c === "'" ? 'string' : 'quoted identifier'}`); return tokens; }
        if (text[j] === c && text[j + 1] === c) { j += 2; continue; } // doubled quote escapes itself
        if (text[j] === c) break;
        j++;
      }
      const raw = text.slice(i + 1, j);
      tokens.push({ t: c === "'" ? 'string' : 'ident', v: raw, line: start });
      line += (raw.match(/\n/g) || []).length;
      i = j + 1;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(text.slice(i, i + 200));
    if (word) { tokens.push({ t: 'word', v: word[0], line }); i += word[0].length; continue; }
    const num = /^\d+(\.\d+)?/.exec(text.slice(i, i + 50));
    if (num) { tokens.push({ t: 'number', v: num[0], line }); i += num[0].length; continue; }
    tokens.push({ t: 'punct', v: c, line });
    i++;
  }
  return tokens;
}

/** Groups tokens into statements; a trailing statement without ';' is flagged. */
function statements(file, tokens) {
  const out = [];
  let cur = [];
  for (const tok of tokens) {
    if (tok.t === 'punct' && tok.v === ';') {
      if (cur.length) out.push(cur);
      cur = [];
    } else cur.push(tok);
  }
  if (cur.length) {
    fail(file, cur[0].line, "statement does not end with ';'");
    out.push(cur);
  }
  return out;
}

const isWord = (tok, ...words) => tok && tok.t === 'word' && words.includes(tok.v.toUpperCase());

/** Reads a (possibly quoted or schema-qualified) table name at tokens[i]; returns [name, next index]. */
function readName(tokens, i) {
  const tok = tokens[i];
  if (!tok || (tok.t !== 'word' && tok.t !== 'ident')) return [null, i];
  let name = tok.t === 'word' ? tok.v.toLowerCase() : tok.v;
  if (tokens[i + 1] && tokens[i + 1].v === '.' && tokens[i + 2]) {
    const t2 = tokens[i + 2];
    name = t2.t === 'word' ? t2.v.toLowerCase() : t2.v;
    return [name, i + 3];
  }
  return [name, i + 1];
}

function checkParens(file, stmt) {
  const open = [];
  const end = stmt[stmt.length - 1].line;
  for (const tok of stmt) {
    if (tok.t !== 'punct') continue;
    if (tok.v === '(') open.push(tok.line);
    else if (tok.v === ')' && !open.pop()) fail(file, tok.line, "unbalanced ')' without a matching '('");
  }
  for (const line of open) fail(file, line, `unbalanced '(': opened here and never closed before the statement ends at line ${end}`);
}

function main() {
  if (!fs.existsSync(DIR)) {
    console.error(`${rel(DIR)}: migrations folder not found`);
    process.exit(1);
  }
  const files = [];
  for (const name of fs.readdirSync(DIR).sort()) {
    if (!name.endsWith('.sql')) continue;
    const m = NAME_RE.exec(name);
    if (!m) { fail(path.join(DIR, name), 1, 'migration file name must look like 003_add_something.sql (3 digits, lowercase)'); continue; }
    files.push({ file: path.join(DIR, name), num: Number(m[1]) });
  }
  files.sort((a, b) => a.num - b.num || a.file.localeCompare(b.file));
  if (!files.length && !errors.length) fail(DIR, 1, 'no migrations found');

  files.forEach((f, idx) => {
    const expected = idx + 1;
    if (f.num !== expected) {
      const prev = files[idx - 1];
      const why = prev && prev.num === f.num ? `duplicate of ${rel(prev.file)}` : `gap after ${prev ? rel(prev.file) : 'the start'}`;
      fail(f.file, 1, `expected migration number ${String(expected).padStart(3, '0')}, found ${String(f.num).padStart(3, '0')} (${why})`);
    }
  });

  const tables = new Map(); // name -> "file:line" where it was created
  const indexes = new Map();
  for (const { file } of files) {
    const stmts = statements(file, tokenize(file, fs.readFileSync(file, 'utf8')));
    if (!stmts.length) fail(file, 1, 'migration has no statements');
    for (const stmt of stmts) {
      checkParens(file, stmt);
      const line = stmt[0].line;
      const created = [];
      let i = 0;
      if (isWord(stmt[0], 'CREATE') && isWord(stmt[1], 'TABLE')) {
        i = 2;
        if (isWord(stmt[i], 'IF') && isWord(stmt[i + 1], 'NOT') && isWord(stmt[i + 2], 'EXISTS')) i += 3;
        const [name, next] = readName(stmt, i);
        if (!name) { fail(file, line, 'CREATE TABLE without a table name'); continue; }
        if (tables.has(name)) fail(file, line, `table "${name}" already created at ${tables.get(name)}`);
        if (!stmt[next] || stmt[next].v !== '(') fail(file, line, `CREATE TABLE ${name}: expected '(' and a column list`);
        else if (stmt[next + 1] && stmt[next + 1].v === ')') fail(file, line, `CREATE TABLE ${name}: no columns`);
        created.push(name); // a table may reference itself (self-referencing entities)
      } else if (isWord(stmt[0], 'ALTER') && isWord(stmt[1], 'TABLE')) {
        i = 2;
        if (isWord(stmt[i], 'IF') && isWord(stmt[i + 1], 'EXISTS')) i += 2;
        if (isWord(stmt[i], 'ONLY')) i++;
        const [name, next] = readName(stmt, i);
        if (!name) { fail(file, line, 'ALTER TABLE without a table name'); continue; }
        if (!tables.has(name)) fail(file, line, `ALTER TABLE on unknown table "${name}"${known(tables)}`);
        if (isWord(stmt[next], 'RENAME') && isWord(stmt[next + 1], 'TO')) {
          const [to] = readName(stmt, next + 2);
          if (to) { tables.delete(name); created.push(to); }
        }
      } else if (isWord(stmt[0], 'CREATE') && (isWord(stmt[1], 'INDEX') || (isWord(stmt[1], 'UNIQUE') && isWord(stmt[2], 'INDEX')))) {
        i = isWord(stmt[1], 'UNIQUE') ? 3 : 2;
        if (isWord(stmt[i], 'IF') && isWord(stmt[i + 1], 'NOT') && isWord(stmt[i + 2], 'EXISTS')) i += 3;
        let index = null;
        if (!isWord(stmt[i], 'ON')) [index, i] = readName(stmt, i);
        if (!isWord(stmt[i], 'ON')) { fail(file, line, 'CREATE INDEX: expected ON <table> (<columns>)'); continue; }
        const [table, next] = readName(stmt, i + 1);
        if (!table) { fail(file, line, 'CREATE INDEX: missing table name after ON'); continue; }
        if (!tables.has(table)) fail(file, line, `CREATE INDEX on unknown table "${table}"${known(tables)}`);
        if (!stmt[next] || stmt[next].v !== '(') fail(file, line, `CREATE INDEX on ${table}: expected a column list in parentheses`);
        if (index) {
          if (indexes.has(index)) fail(file, line, `index "${index}" already created at ${indexes.get(index)}`);
          indexes.set(index, `${rel(file)}:${line}`);
        }
      } else {
        const found = stmt.slice(0, 2).map((t) => t.v).join(' ');
        fail(file, line, `expected CREATE TABLE, ALTER TABLE or CREATE INDEX, found "${found}"`);
        continue;
      }
      for (let k = 0; k < stmt.length; k++) {
        if (!isWord(stmt[k], 'REFERENCES')) continue;
        const [target] = readName(stmt, k + 1);
        if (!target) fail(file, stmt[k].line, 'REFERENCES without a table name');
        else if (!tables.has(target) && !created.includes(target)) {
          fail(file, stmt[k].line, `REFERENCES unknown table "${target}": it must be created by an earlier statement or migration${known(tables)}`);
        }
      }
      for (const name of created) tables.set(name, `${rel(file)}:${line}`);
    }
  }

  if (errors.length) {
    const key = (e) => { const m = /^(.*?):(\d+):/.exec(e); return [m[1], Number(m[2])]; };
    errors.sort((a, b) => { const [fa, la] = key(a); const [fb, lb] = key(b); return fa.localeCompare(fb) || la - lb; });
    for (const e of errors) console.error(e);
    console.error(`check-migrations: ${errors.length} problem(s) found`);
    process.exit(1);
  }
  console.log(`check-migrations: ${files.length} migration(s), ${tables.size} table(s) [${[...tables.keys()].join(', ')}]: OK`);
}

function known(tables) {
  return tables.size ? ` (known tables: ${[...tables.keys()].join(', ')})` : ' (no tables created yet)';
}

main();
