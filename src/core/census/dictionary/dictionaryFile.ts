/**
 * `docs/data/dictionary.md` read as tables and their columns. Two shapes, as documenters write
 * them: a heading per table (`### reservations`, `## Table: reservations`) followed by a
 * Markdown table whose first column (or the one headed Column / Name / Campo / Columna / Coluna)
 * names the columns; or the heading followed by a list (`- reservation_code (CHAR(8)): …`).
 * Headings without columns under them (an introduction, a glossary) are not tables.
 */
export const DICTIONARY_FILE = 'docs/data/dictionary.md';

export interface DictionaryTable {
  name: string;
  /** 1-based line of its heading. */
  line: number;
  columns: string[];
}

const HEADING = /^(#{2,4})\s+(.+?)\s*#*\s*$/;
const COLUMN_HEADERS = /^(column|columns|name|field|campo|columna|coluna|nome|nombre)$/i;

export function readDictionary(text: string): DictionaryTable[] {
  const tables: DictionaryTable[] = [];
  let current: DictionaryTable | undefined;
  let columnIndex = -1;
  let inTable = false;
  let fenced = false;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (/^(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) return;
    const heading = HEADING.exec(line);
    if (heading) {
      current = { name: tableName(heading[2] ?? ''), line: index + 1, columns: [] };
      tables.push(current);
      inTable = false;
      return;
    }
    if (!current) return;
    if (line.startsWith('|')) {
      const cells = splitRow(line);
      if (!inTable) {
        // The header row: which cell names the column.
        inTable = true;
        columnIndex = Math.max(
          0,
          cells.findIndex((cell) => COLUMN_HEADERS.test(plain(cell))),
        );
        return;
      }
      if (cells.every((cell) => /^:?-{2,}:?$/.test(cell))) return;
      const name = identifier(cells[columnIndex] ?? '');
      if (name) current.columns.push(name);
      return;
    }
    inTable = false;
    const item = /^[-*+]\s+(.+)$/.exec(line);
    if (item) {
      const name = identifier(item[1] ?? '');
      if (name) current.columns.push(name);
    }
  });
  return tables.filter((table) => table.columns.length > 0 && table.name !== '');
}

/** `Table: \`reservations\``, `reservations (the booking)` → `reservations`. */
function tableName(heading: string): string {
  const text = plain(heading).replace(/^(table|tabla|tabela)\s*[:\-–]\s*/i, '');
  return identifier(text) ?? '';
}

function splitRow(line: string): string[] {
  return line
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}

/** Without Markdown emphasis and code marks (an identifier's own underscores stay). */
function plain(text: string): string {
  return text
    .replace(/[`*]/g, '')
    .replace(/(^|\s)_(\S(?:.*?\S)?)_(?=\s|$)/g, '$1$2')
    .trim();
}

/** The first identifier of a cell or a list item: `` `lock_version` (INT) — … `` → `lock_version`. */
function identifier(text: string): string | undefined {
  const code = /`([^`]+)`/.exec(text);
  const source = code ? (code[1] ?? '') : plain(text);
  const match = /^["'[]?([A-Za-z_][\w.$]*)/.exec(source.trim());
  return match?.[1]?.split('.').pop();
}
