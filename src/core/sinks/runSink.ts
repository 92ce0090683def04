/**
 * A run's event sinks (seed 003): every journaled event passes through here on its way to the
 * host. Vocabulary events get their evidence written beside the journal (the diff of what the
 * layer changed, the validation output) and, with `events.webhook` configured, go to the
 * outbox and out to the endpoint in order. The outbox left by an earlier run is replayed first.
 * Nothing here can fail the run: a delivery problem is a warning and the event waits.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { meaningOf, type Meaning } from '../catalogue';
import type { EngineEvent } from '../events';
import type { Host } from '../host';
import { diffSinceCheckpoint } from '../git';
import type { StateEvent } from '../journal';
import type { OrchestratorConfig } from '../project/config';
import { Outbox } from './outbox';
import { artifactPaths, eventLayer, linksOf, toCloudEvent, vocabularyOf, type CloudEvent } from './vocabulary';
import { deliver, type WebhookTarget } from './webhook';

export const WEBHOOK_SECRET_ENV = 'ORCHESTRATOR_WEBHOOK_SECRET';

/** The webhook of the config; its secret from the file or, better, from ORCHESTRATOR_WEBHOOK_SECRET. */
export function webhookTarget(
  config: OrchestratorConfig,
  env: NodeJS.ProcessEnv = process.env,
): WebhookTarget | undefined {
  const hook = config.events.webhook;
  if (!hook) return undefined;
  const secret = hook.secret ?? env[WEBHOOK_SECRET_ENV];
  return { url: hook.url, ...(secret ? { secret } : {}) };
}

export interface RunSinkInput {
  workspace: string;
  runId: string;
  config: OrchestratorConfig;
  host: Host;
  /** The run's events of earlier sessions (resume): what the sink knows of the run so far. */
  previous: readonly StateEvent[];
  signal?: AbortSignal;
}

export class RunSink {
  /** The host the run context talks to: every event reaches the real host, then the sinks. */
  readonly host: Host;
  private readonly target: WebhookTarget | undefined;
  private readonly outbox: Outbox;
  private queue: Promise<void> = Promise.resolve();
  private offline = false;
  private readonly ignoredUntrusted: boolean;
  private emit: ((event: EngineEvent) => void) | undefined;
  private checkpointRef: string | undefined;
  /** The snapshot commit the spec completed at (drift's basis): project.completed's diff is taken against it. */
  private completedCommit: string | undefined;
  private specPath: string | undefined;
  private sawStart = false;
  /** The run follows a workflow of its own: its phases go out as events too. */
  private workflowPhases = false;
  private readonly filesByAgent = new Map<string, Set<string>>();
  private readonly commandsByLayer = new Map<string, string[]>();

  constructor(private readonly input: RunSinkInput) {
    // The URL comes from the workspace: in an untrusted one nothing is sent anywhere (Restricted Mode).
    const target = webhookTarget(input.config);
    this.target = target && input.host.isTrusted() ? target : undefined;
    this.ignoredUntrusted = target !== undefined && this.target === undefined;
    this.outbox = new Outbox(input.workspace);
    input.previous.forEach((event) => this.track(meaningOf(event)));
    const real = input.host;
    this.host = {
      ask: (asked) => real.ask(asked),
      getApiKey: () => real.getApiKey(),
      // Without it a model opened inside the run (a folder's layer proposal on openai:) had no key.
      getProviderKey: (provider) => real.getProviderKey?.(provider) ?? Promise.resolve(undefined),
      isTrusted: () => real.isTrusted(),
      onEvent: (event) => {
        real.onEvent(event);
        this.onEntry(event as StateEvent);
      },
    };
    if (this.target) this.schedule(() => this.drain('replay'));
  }

  /** Where the sinks report (the run's journal), once the run context exists. */
  attach(emit: (event: EngineEvent) => void): void {
    this.emit = emit;
    if (this.ignoredUntrusted)
      this.warn('events.webhook is ignored: the workspace is not trusted, so no event is sent.');
    if (this.target && !this.target.secret)
      this.warn(`events.webhook has no secret (set ${WEBHOOK_SECRET_ENV}): events are sent unsigned.`);
  }

  /** Waits for the evidence and deliveries under way, then tries the outbox once more. */
  async close(): Promise<void> {
    if (this.target && this.offline) {
      this.offline = false;
      this.schedule(() => this.drain('close'));
    }
    await this.queue;
  }

  private onEntry(entry: StateEvent): void {
    if (entry.seq === undefined || entry.ts === undefined) return;
    const meaning = meaningOf(entry);
    const firstStart = meaning.start !== undefined && !this.sawStart && this.input.previous.length === 0;
    this.track(meaning);
    const mapped = vocabularyOf(entry, firstStart, this.workflowPhases);
    if (!mapped) return;
    const layer = eventLayer(mapped);
    const paths = artifactPaths(this.input.runId, entry.seq, layer);
    const diffFiles = mapped.evidence.includes('diff') ? this.diffFiles(layer) : [];
    // Written below (diff, validation) or after each phase (trace): linked before they exist.
    const links = linksOf(mapped, paths, this.specPath, (kind) =>
      kind === 'diff'
        ? diffFiles.length > 0 && this.checkpointRef !== undefined
        : kind === 'validation'
          ? layer !== undefined
          : true,
    );
    const event = toCloudEvent(entry as StateEvent & { seq: number; ts: string }, this.input.runId, mapped, links);
    // Queued before any await: a crash from here on cannot lose the event.
    if (this.target) this.outbox.append(event);
    const ref = this.checkpointRef;
    // The run's whole change is the tree COMPLETE already snapshotted: no second walk of the work tree.
    const against = meaning.completed ? this.completedCommit : undefined;
    const evidence = {
      diff: links.diff && ref ? { ref, files: diffFiles, ...(against ? { against } : {}) } : undefined,
      validation: links.validation ? this.validationLog(meaning.validation) : undefined,
    };
    this.schedule(async () => {
      await this.writeEvidence(paths, evidence);
      if (this.target && !this.offline) await this.drain('live');
    });
  }

  /** What the sink keeps of the run to link its events' evidence: what each event means to it. */
  private track(meaning: Meaning): void {
    for (const facet of Object.keys(meaning) as (keyof Meaning)[]) {
      const keep = RunSink.KEPT[facet];
      const value = meaning[facet];
      if (keep && value !== undefined) (keep as (sink: RunSink, v: typeof value) => void)(this, value);
    }
  }

  private static readonly KEPT: { [F in keyof Meaning]?: (sink: RunSink, facet: NonNullable<Meaning[F]>) => void } = {
    start: (sink, start) => {
      sink.sawStart = true;
      sink.workflowPhases ||= start.workflow !== undefined;
      if (start.specId) sink.specPath ??= `spec/active/${start.specId}/spec.md`;
    },
    specSaved: (sink, saved) => {
      sink.specPath = saved.path;
    },
    specMoved: (sink, moved) => {
      sink.specPath = moved.path;
      sink.completedCommit = moved.commit;
    },
    checkpoint: (sink, checkpoint) => {
      sink.checkpointRef = checkpoint.ref;
    },
    file: (sink, file) => {
      (sink.filesByAgent.get(file.agent) ?? sink.filesByAgent.set(file.agent, new Set()).get(file.agent)!).add(
        file.path,
      );
    },
    validation: (sink, validation) => {
      if (validation.state === 'running')
        sink.commandsByLayer.set(validation.layer, [
          ...(sink.commandsByLayer.get(validation.layer) ?? []),
          validation.command,
        ]);
    },
  };

  /** A layer's files for its task events; every file of the run for the review and the end. */
  private diffFiles(layer: string | undefined): string[] {
    if (layer) return [...(this.filesByAgent.get(layer) ?? [])].sort();
    return [...new Set([...this.filesByAgent.values()].flatMap((files) => [...files]))].sort();
  }

  private validationLog(validation: Meaning['validation']): string | undefined {
    if (validation?.state === 'failed')
      return `$ ${validation.command}\n(exit ${validation.exitCode ?? 'timeout or killed'})\n${validation.output}\n`;
    if (validation?.state === 'passed') {
      const commands = this.commandsByLayer.get(validation.layer) ?? [];
      this.commandsByLayer.delete(validation.layer);
      return `${commands.map((c) => `$ ${c}\n(exit 0)`).join('\n') || '(no validate commands)'}\npassed\n`;
    }
    return undefined;
  }

  private async writeEvidence(
    paths: ReturnType<typeof artifactPaths>,
    evidence: { diff?: { ref: string; files: string[]; against?: string }; validation?: string },
  ): Promise<void> {
    try {
      if (evidence.validation !== undefined) await this.writeArtifact(paths.validation, evidence.validation);
      if (evidence.diff)
        await this.writeArtifact(
          paths.diff,
          await diffSinceCheckpoint(
            this.input.workspace,
            evidence.diff.ref,
            evidence.diff.files,
            evidence.diff.against,
          ),
        );
    } catch (error) {
      this.warn(`Could not write the event's evidence: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async writeArtifact(relative: string, text: string): Promise<void> {
    const path = join(this.input.workspace, relative.replace(/#.*$/, ''));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
  }

  /** Sends the outbox in order until it is empty or the endpoint fails (then the rest waits). */
  private async drain(when: 'replay' | 'live' | 'close'): Promise<void> {
    const target = this.target!;
    const pending: CloudEvent[] = this.outbox.pending();
    let sent = 0;
    for (const event of pending) {
      const result = await deliver(target, event, this.input.signal ? { signal: this.input.signal } : {});
      if (!result.ok) {
        this.offline = true;
        const waiting = pending.length - sent;
        this.warn(
          `Webhook delivery failed (${result.error} after ${result.attempts} attempt(s)): ${waiting} event(s) wait in the outbox and are sent again ${when === 'close' ? 'by the next run' : 'when the run ends, else by the next run'}.`,
        );
        return;
      }
      this.outbox.markDelivered();
      sent++;
    }
    if (when === 'replay' && sent > 0)
      this.info(`Webhook: ${sent} event(s) from the outbox of an earlier run delivered.`);
  }

  private schedule(job: () => Promise<void>): void {
    this.queue = this.queue
      .then(job)
      .catch((error: unknown) => this.warn(`Event sink: ${error instanceof Error ? error.message : String(error)}`));
  }

  private warn(message: string): void {
    this.log('warn', message);
  }

  private info(message: string): void {
    this.log('info', message);
  }

  private log(level: 'info' | 'warn', message: string): void {
    const event: EngineEvent = { type: 'log', level, message };
    if (this.emit) this.emit(event);
    else this.input.host.onEvent(event);
  }
}
