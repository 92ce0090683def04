/**
 * A git server over HTTP standing for GitHub's (issue 39): `git http-backend` (git's own smart-HTTP
 * CGI program) behind a small Node server on 127.0.0.1, serving bare repositories from one folder.
 * Every request needs `Authorization: Basic` with the token as its password (as GitHub takes
 * `x-access-token:<token>`); without it 401 with a Basic challenge, and a push is refused. The
 * request lines are kept: a test can check that no token ever travels in a URL.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GitHttpServer {
  /** http://127.0.0.1:<port>/ */
  origin: string;
  /** The method and URL of every request (never its headers). */
  requests: string[];
  /** Requests refused for want of the token. */
  refused: number;
  close(): Promise<void>;
}

/** `token`: the one token taken, or a test of the password (a GitHub App's installation tokens change). */
export async function startGitHttpServer(
  root: string,
  token: string | ((password: string) => boolean),
): Promise<GitHttpServer> {
  const requests: string[] = [];
  const state = { refused: 0 };
  const accepts = typeof token === 'string' ? (password: string) => password === token : token;
  const allowed = (header: string | undefined) => {
    const [user, ...password] = Buffer.from(/^Basic (.+)$/.exec(header ?? '')?.[1] ?? '', 'base64')
      .toString('utf8')
      .split(':');
    return user === 'x-access-token' && accepts(password.join(':'));
  };
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    if (!allowed(req.headers.authorization)) {
      state.refused++;
      req.resume();
      res
        .writeHead(401, { 'www-authenticate': 'Basic realm="GitHub"', 'content-type': 'text/plain' })
        .end('Invalid username or token.\n');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://git.test');
    const cgi = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        GIT_HTTP_RECEIVE_PACK: '1',
        REMOTE_USER: 'x-access-token',
        REMOTE_ADDR: '127.0.0.1',
        REQUEST_METHOD: req.method ?? 'GET',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] } : {}),
        ...(req.headers['git-protocol'] ? { GIT_PROTOCOL: String(req.headers['git-protocol']) } : {}),
      },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    req.pipe(cgi.stdin);
    // The CGI answer: headers, a blank line, the body.
    let head = Buffer.alloc(0);
    let started = false;
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (started) return void res.write(chunk);
      head = Buffer.concat([head, chunk]);
      const crlf = head.indexOf('\r\n\r\n');
      const lf = head.indexOf('\n\n');
      const [end, gap] = crlf >= 0 && (lf < 0 || crlf < lf) ? [crlf, 4] : [lf, 2];
      if (end < 0) return;
      started = true;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of head.subarray(0, end).toString('latin1').split(/\r?\n/)) {
        const [name, ...rest] = line.split(':');
        const value = rest.join(':').trim();
        if (name!.toLowerCase() === 'status') status = Number(value.split(' ')[0]);
        else headers[name!] = value;
      }
      res.writeHead(status, headers);
      res.write(head.subarray(end + gap));
    });
    cgi.on('close', () => {
      if (!started) res.writeHead(500).end('git http-backend failed\n');
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}/`,
    requests,
    get refused() {
      return state.refused;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
