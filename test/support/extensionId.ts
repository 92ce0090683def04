/**
 * The extension's id, `<publisher>.<name>` of package.json, as VS Code builds it: the tests find
 * the extension, its webviews (`extensionId=` in their iframe URL) and its status bar items
 * (DOM id `<publisher>.<name>.<itemId>`) by it. Read from the manifest so a rename cannot miss
 * one. (Command, setting and view ids are our own, `orchestrator.*`, and do not change.)
 */
import manifest from '../../package.json';

export const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;

/** The DOM id of a status bar item created with createStatusBarItem(itemId, …). */
export const statusBarDomId = (itemId: string): string => `${EXTENSION_ID}.${itemId}`;
