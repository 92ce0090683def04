/**
 * Must be imported before anything that builds zod schemas (main.ts imports it second).
 * zod probes `new Function` when an object schema is created, to compile fast parsers; the
 * webview's CSP forbids eval, so the probe would log a CSP violation on every load.
 */
import { z } from 'zod';

z.config({ jitless: true });

export {};
