/**
 * Must be imported before anything that builds zod schemas (main.ts imports it second).
 * zod probes `new Function` to compile fast parsers; the webview's CSP forbids eval, so the probe
 * would log a CSP violation. zod/mini's object schemas do not compile parsers today; jitless
 * keeps it that way should a zod update change that.
 */
import { config } from 'zod/mini';

config({ jitless: true });

export {};
