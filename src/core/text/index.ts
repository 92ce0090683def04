/**
 * The text room's door: text made safe for a terminal, credentials masked, zod's messages in
 * English, the word a typo meant. Portable: any bundle may carry it, the browser's too.
 */
export { nearMiss } from './nearMiss';
export { redactDeep, redactSecrets, urlPassword } from './secrets';
export { visibleLine, visibleText } from './terminalText';
export { inEnglish } from './zodEnglish';
