/**
 * Last line of defence for "never log the key": engine events should not contain secrets,
 * but error messages from HTTP layers sometimes echo headers. Keys and auth headers are
 * masked as `***`, then every other credential-shaped value (src/core/text/secrets.ts: GitHub,
 * AWS, Slack, npm tokens, private keys, URL passwords…) before text reaches the output
 * channel or a message.
 */
import { redactSecrets } from '../../core/text/secrets';

const patterns: RegExp[] = [
  /sk-ant-[A-Za-z0-9_-]{8,}/g,
  /(x-api-key["']?\s*[:=]\s*["']?)[^\s"',}]+/gi,
  /(Bearer\s+)[A-Za-z0-9._~+/-]{8,}=*/g,
];

export function redact(text: string, extraSecrets: readonly string[] = []): string {
  let out = text;
  for (const secret of extraSecrets) if (secret.length >= 8) out = out.split(secret).join('***');
  out = out.replace(patterns[0]!, 'sk-ant-***');
  out = out.replace(patterns[1]!, '$1***');
  out = out.replace(patterns[2]!, '$1***');
  return redactSecrets(out).text;
}
