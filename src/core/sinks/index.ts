/**
 * The sinks' door: a run's events as CloudEvents lines, and the sink that sends them to a webhook
 * through its outbox.
 */
export { journalEntryLines, runEventLines } from './runEvents';
export { RunSink, webhookTarget } from './runSink';
