import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

export interface PageLimits {
  /** Lines returned at most. */
  maxLines: number;
  /** Characters kept of one line (the rest is cut with a marker). */
  maxLineChars: number;
  /** Characters of the whole page (numbered lines included). */
  maxChars: number;
  /** Bytes read past the page just to count the file's lines; beyond it the total is a lower bound. */
  maxCountBytes: number;
}

export interface LinePage {
  /** `"<number>\t<text>"` lines. */
  numbered: string[];
  first: number;
  /** Last line returned (first - 1 when none). */
  last: number;
  /** Lines in the file, or at least this many when `totalKnown` is false. */
  total: number;
  totalKnown: boolean;
  /** Lines cut at maxLineChars. */
  clipped: number;
  /** The page ended at maxChars rather than at maxLines or the end of the file. */
  fullByChars: boolean;
}

/**
 * Lines `first…` of a text file, streamed: the file is never held in memory whole, so any
 * size can be paged through with offsets, and one result stays within `maxChars`.
 */
export async function readLinePage(path: string, first: number, limits: PageLimits): Promise<LinePage> {
  const page: LinePage = {
    numbered: [],
    first,
    last: first - 1,
    total: 0,
    totalKnown: true,
    clipped: 0,
    fullByChars: false,
  };
  let used = 0;
  let collecting = true;
  let lineNo = 0;
  let partial = '';
  let partialTooLong = false;
  let countedPastPage = 0;
  let sawAnything = false;

  const take = (text: string) => {
    lineNo++;
    if (!collecting || lineNo < first) return;
    let shown = text;
    if (shown.length > limits.maxLineChars) {
      shown = `${shown.slice(0, limits.maxLineChars)}… [line truncated]`;
      page.clipped++;
    }
    const entry = `${lineNo}\t${shown}`;
    if (page.numbered.length > 0 && used + entry.length + 1 > limits.maxChars) {
      page.fullByChars = true;
      collecting = false;
      return;
    }
    page.numbered.push(entry);
    used += entry.length + 1;
    page.last = lineNo;
    if (page.numbered.length >= limits.maxLines) collecting = false;
  };

  const decoder = new StringDecoder('utf8');
  const stream = createReadStream(path, { highWaterMark: 64 * 1024 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      sawAnything ||= chunk.length > 0;
      if (!collecting) {
        countedPastPage += chunk.length;
        if (countedPastPage > limits.maxCountBytes) {
          page.totalKnown = false;
          break;
        }
      }
      const text = decoder.write(chunk);
      let start = 0;
      for (let nl = text.indexOf('\n', start); nl !== -1; nl = text.indexOf('\n', start)) {
        const piece = text.slice(start, nl);
        take(collecting ? stripCr(partial + piece) : '');
        partial = '';
        partialTooLong = false;
        start = nl + 1;
      }
      // Keep only what a returned line can show of an endless line (a minified bundle).
      if (collecting && !partialTooLong) {
        partial += text.slice(start);
        if (partial.length > limits.maxLineChars + 1) {
          partial = partial.slice(0, limits.maxLineChars + 1);
          partialTooLong = true;
        }
      } else if (!collecting) {
        partial = text.slice(start) === '' ? '' : ' ';
      }
    }
  } finally {
    stream.destroy();
  }
  if (page.totalKnown) {
    const rest = partial + decoder.end();
    if (rest !== '') take(stripCr(rest));
    page.total = sawAnything ? lineNo : 0;
  } else {
    page.total = lineNo;
  }
  return page;
}

const stripCr = (line: string) => (line.endsWith('\r') ? line.slice(0, -1) : line);
