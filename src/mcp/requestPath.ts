/**
 * The path of a request line, checked once where every listener (the portal, its webhooks, MCP
 * over HTTP) routes: a malformed `%`-escape (`/api/accounts/%E0%A4%A`) is the client's mistake,
 * answered 400, never a 500 "URI malformed" from a decode deeper down.
 */
export const MALFORMED_PATH = 'the request path has a malformed %-escape';

/** The request's path (still encoded), or undefined when any `%`-escape in it or its query does not decode. */
export function checkedPath(url: string | undefined): string | undefined {
  const raw = url ?? '/';
  try {
    decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  return new URL(raw, 'http://request').pathname;
}
