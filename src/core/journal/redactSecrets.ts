/**
 * Last line of defence for "no secret is ever written to the journal": events are built by
 * many hands (tool results echo file contents, errors echo requests), so every string of an
 * event is scrubbed of credential-shaped values (src/shared/secrets.ts) and of the secrets
 * the journal was told about (the API key, the base URL's password) before it is written.
 */
import { redactDeep, REDACTED } from '../../shared/secrets';

export { REDACTED };

export function redactEvent<T extends object>(event: T, secrets: readonly string[] = []): { value: T; count: number } {
  return redactDeep(event, secrets);
}
