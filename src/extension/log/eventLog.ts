/** Writes engine events and host messages to the "Orchestrator" LogOutputChannel, redacted. */
import * as vscode from 'vscode';
import type { EngineEvent } from '../../core/events';
import { Disposable } from '../util/disposable';
import { formatEvent, type LogLevel } from './formatEvent';
import { redact } from './redact';

export class EventLog extends Disposable {
  readonly channel: vscode.LogOutputChannel;

  constructor() {
    super();
    this.channel = this.register(vscode.window.createOutputChannel('Orchestrator', { log: true }));
  }

  event(event: EngineEvent): void {
    const line = formatEvent(event);
    this.write(line.level, line.text);
  }

  write(level: LogLevel, text: string): void {
    const safe = redact(text);
    if (level === 'trace') this.channel.trace(safe);
    else if (level === 'warn') this.channel.warn(safe);
    else if (level === 'error') this.channel.error(safe);
    else this.channel.info(safe);
  }

  show(): void {
    this.channel.show(true);
  }
}
