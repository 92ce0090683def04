/** Recognises an engine/SDK error caused by a missing or rejected API key. Pure. */
const AUTH = /authentication_error|\bauthenticat|\b401\b|invalid x-api-key|x-api-key|api[ _-]?key|unauthori[sz]ed/i;

export const looksLikeAuthError = (text: string | undefined): boolean => text !== undefined && AUTH.test(text);
