/**
 * Must be the first import of main.ts. Lit adopts constructable stylesheets (allowed by the
 * CSP); where it falls back to <style> elements it stamps them with `window.litNonce`, so
 * hand it this load's nonce, read from our own script tag while it runs.
 */
const script = document.currentScript as HTMLScriptElement | null;
(globalThis as { litNonce?: string }).litNonce = script?.nonce || undefined;

export {};
