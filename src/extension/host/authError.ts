/**
 * Recognises an engine/SDK failure caused by a missing or rejected API key. Pure.
 * Deliberately narrow: run reports and agent summaries mention "API key" in other senses
 * (e.g. a feature about API keys), and a false "your key was rejected" would mislead.
 */
const AUTH =
  /authentication_error|permission_error|invalid x-api-key|No Anthropic API key|Check the API key|Could not resolve authentication method|\b401\b/i;

export const looksLikeAuthError = (text: string | undefined): boolean => text !== undefined && AUTH.test(text);

/**
 * The engine's LlmError carries `kind: 'auth'`; duck-typed so no core class crosses bundles.
 * An editor model's refusal (a LanguageModelError NoPermissions) is `auth` too, but no API key
 * would help there: its message says what to do instead.
 */
export const isAuthFailure = (error: unknown): boolean =>
  (typeof error === 'object' &&
    error !== null &&
    (error as { kind?: unknown }).kind === 'auth' &&
    !fromEditorModel(error)) ||
  looksLikeAuthError(error instanceof Error ? error.message : typeof error === 'string' ? error : undefined);

const fromEditorModel = (error: object): boolean =>
  (error as { details?: { cause?: { name?: unknown } } }).details?.cause?.name === 'LanguageModelError';
