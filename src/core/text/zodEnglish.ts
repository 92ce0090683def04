import { en } from 'zod/locales';

/**
 * Parse options for English issue messages: `schema.safeParse(value, inEnglish)`. zod/mini loads
 * no locale (its issues all read "Invalid input"), and zod's global config lives on globalThis,
 * shared with every other extension in the extension host: so the locale goes with each parse
 * instead of into z.config().
 */
export const inEnglish = { error: en().localeError };
