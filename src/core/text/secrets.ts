/**
 * Values that look like credentials, in the formats their issuers document, masked wherever
 * text leaves the engine's hands: the journal, logs, errors, and file contents or command
 * output on their way to the model. Shared by the engine and the extension (no imports).
 */
export const REDACTED = '[REDACTED]';

/** Secrets shorter than this are not redacted by value: replacing e.g. "abc" everywhere would wreck the text. */
const MIN_SECRET_LENGTH = 8;
/** The shortest text any of the patterns below matches (`sk-ant-`), and shorter than any secret redacted by value. */
const SHORTEST_MATCH = 7;

const NOT_AFTER_WORD = '(?<![A-Za-z0-9_])';

/**
 * [pattern, replacement]; `$1`… keep a label (header name, URL user) around the masked part.
 * These run over text an agent may have written: every repetition that could backtrack is
 * bounded, so no input makes them super-linear (a redaction must never hang the host).
 */
const PATTERNS: [RegExp, string][] = [
  // Private key blocks (PEM, OpenSSH; 8 KB holds an RSA-8192 key), also when cut short before their END line.
  [
    /-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY( BLOCK)?-----(?:[\s\S]{0,8192}?-----END[A-Z0-9 ]{0,40}PRIVATE KEY( BLOCK)?-----|[A-Za-z0-9+/=\s:,-]{0,8192})/g,
    REDACTED,
  ],
  [/sk-ant-[A-Za-z0-9_-]*/g, REDACTED], // Anthropic
  [new RegExp(`${NOT_AFTER_WORD}sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}`, 'g'), REDACTED], // OpenAI
  [new RegExp(`${NOT_AFTER_WORD}(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})`, 'g'), REDACTED], // GitHub
  [new RegExp(`${NOT_AFTER_WORD}glpat-[A-Za-z0-9_-]{20,}`, 'g'), REDACTED], // GitLab
  [new RegExp(`${NOT_AFTER_WORD}(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])`, 'g'), REDACTED], // AWS access key id
  [new RegExp(`${NOT_AFTER_WORD}(?:xox[abposr]|xapp)-[A-Za-z0-9-]{10,}`, 'g'), REDACTED], // Slack tokens
  [/https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/_-]+/g, REDACTED], // Slack webhooks
  [new RegExp(`${NOT_AFTER_WORD}npm_[A-Za-z0-9]{36}`, 'g'), REDACTED], // npm
  [new RegExp(`${NOT_AFTER_WORD}AIza[0-9A-Za-z_-]{35}`, 'g'), REDACTED], // Google API keys
  [new RegExp(`${NOT_AFTER_WORD}[sr]k_(?:live|test)_[A-Za-z0-9]{16,}`, 'g'), REDACTED], // Stripe
  [new RegExp(`${NOT_AFTER_WORD}hf_[A-Za-z0-9]{30,}`, 'g'), REDACTED], // Hugging Face
  [new RegExp(`${NOT_AFTER_WORD}eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}`, 'g'), REDACTED], // JWT
  [/\b(Bearer|Basic)(\s+)[A-Za-z0-9._~+/-]{16,}=*/g, `$1$2${REDACTED}`], // Authorization headers
  [/(x-api-key["']?[ \t]{0,8}[:=][ \t]{0,8}["']?)[^\s"',}]{8,}/gi, `$1${REDACTED}`],
  // The password of a URL's userinfo: https://user:password@host (e.g. ANTHROPIC_BASE_URL).
  [/\b([a-z][a-z0-9+.-]{0,30}:\/\/[^\s:/@"'`]{1,256}:)([^\s@/"'`]{1,256})@/gi, `$1${REDACTED}@`],
  // NAME=value for variables named like credentials (GITHUB_TOKEN=…, AWS_SECRET_ACCESS_KEY: …).
  [
    /\b([A-Z][A-Z0-9_]{0,40}(?:SECRET|TOKEN|PASSWORD|PASSWD|API_KEY|APIKEY|ACCESS_KEY|PRIVATE_KEY|CREDENTIALS?)[A-Z0-9_]{0,40}["']?[ \t]{0,8}[=:][ \t]{0,8}["']?)(?!\[REDACTED\])[^\s"'`\\,;]{8,}/g,
    `$1${REDACTED}`,
  ],
  [
    /\b((?:aws_secret_access_key|aws_session_token)[ \t]{0,8}[=:][ \t]{0,8}["']?)(?!\[REDACTED\])[^\s"'`\\,;]{8,}/gi,
    `$1${REDACTED}`,
  ],
];

export interface Redaction {
  text: string;
  /** How many values were replaced. */
  count: number;
}

/** Masks every value in a known credential format, and the given secrets (the key in use…). */
export function redactSecrets(text: string, secrets: readonly string[] = []): Redaction {
  // Most strings of an event are short (its keys, ids, names): none can hold a credential.
  if (text.length < SHORTEST_MATCH) return { text, count: 0 };
  let count = 0;
  let out = text;
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH || !out.includes(secret)) continue;
    const parts = out.split(secret);
    count += parts.length - 1;
    out = parts.join(REDACTED);
  }
  for (const [pattern, replacement] of PATTERNS) {
    out = out.replace(pattern, (...match: unknown[]) => {
      count++;
      return replacement.replace(/\$(\d)/g, (_, n: string) => String(match[Number(n)] ?? ''));
    });
  }
  return { text: out, count };
}

/** The same over every string of a JSON-like value (keys included); returns a new value. */
export function redactDeep<T>(value: T, secrets: readonly string[] = []): { value: T; count: number } {
  let count = 0;
  const visit = (node: unknown): unknown => {
    if (typeof node === 'string') {
      const result = redactSecrets(node, secrets);
      count += result.count;
      return result.text;
    }
    if (Array.isArray(node)) return node.map(visit);
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [visit(k) as string, visit(v)]));
    }
    return node;
  };
  return { value: visit(value) as T, count };
}

/** The password of a URL's userinfo, to redact by value wherever the URL's parts turn up. */
export function urlPassword(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password === '' ? undefined : password;
  } catch {
    return undefined;
  }
}

/** Tokens this long in a secrets file are redacted by value even without a `NAME=` (a key's base64 lines, a JSON value). */
const MIN_TOKEN_LENGTH = 16;

/**
 * The values of a file that holds secrets (a committed `.env.test`, a `*.pem` test key, a
 * `*credentials*.json`), to redact by value wherever a command prints them: each `NAME=value` or
 * `name: value` of at least MIN_SECRET_LENGTH characters, and every other token of at least
 * MIN_TOKEN_LENGTH (a key's base64 lines, JSON strings). None for a binary file (a keystore).
 */
export function secretValuesIn(text: string): string[] {
  if (text.includes('\0')) return [];
  const values = new Set<string>();
  const unquote = (value: string) => value.trim().replace(/^["'`]+|["'`,;]+$/g, '');
  for (const line of text.split(/\r?\n/)) {
    const assigned = /^\s*(?:export\s+)?["']?[A-Za-z_][\w.-]{0,100}["']?\s*[=:]\s*(.+)$/.exec(line);
    const value = assigned ? unquote(assigned[1]!) : '';
    if (value.length >= MIN_SECRET_LENGTH) values.add(value);
    for (const token of line.split(/\s+/)) {
      const bare = token.replace(/^[\s"'`{[(,;:]+|[\s"'`}\]),;:]+$/g, '');
      if (bare.length >= MIN_TOKEN_LENGTH && !bare.startsWith('-----')) values.add(bare);
    }
  }
  // The longest first: a value holding another is masked whole.
  return [...values].sort((a, b) => b.length - a.length);
}
