/**
 * Turns an engine event into one log line and a level for the LogOutputChannel: the catalogue's
 * words (reached through the engine's bundle, loaded by then: events come from it) with what a
 * full record adds below them. Tool inputs are not logged: they hold whole files.
 */
import type { EngineEvent } from '../../core/events';
import { loadEngine } from '../engine';

export type LogLevel = 'trace' | 'info' | 'warn' | 'error';

export interface LogLine {
  level: LogLevel;
  text: string;
}

export function formatEvent(e: EngineEvent): LogLine {
  const words = loadEngine().wordsOf(e);
  return { level: words.level, text: words.detail ? `${words.text}\n${words.detail}` : words.text };
}
