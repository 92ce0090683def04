/**
 * What command handlers may use. Built once by the composition root (app.ts); handlers take
 * it as a parameter instead of reaching for globals.
 */
import type * as vscode from 'vscode';
import type { Engine } from './engine';
import type { ApiKeyStore } from './host/apiKeyStore';
import type { SpecDecisions } from './host/specDecisions';
import type { VscodeHost } from './host/vscodeHost';
import type { EventLog } from './log/eventLog';
import type { QueueHttpServer } from './queue/queueHttpServer';
import type { QueuePortal } from './queue/queuePortal';
import type { RunController } from './run/runController';
import type { RequestDrafts } from './run/requestDrafts';
import type { SpecsService } from './specs/specsService';
import type { ViewStore } from './view/store';
import type { WorkspaceFolders } from './workspace/folders';

import type { InitController } from './init/initController';

export interface Services {
  extensionUri: vscode.Uri;
  /** Which build this is: `spec-orchestrator 0.1.0 (commit 1a2b3c4d), VS Code 1.x` (About, the log's first line). */
  about: string;
  engine: Engine;
  store: ViewStore;
  host: VscodeHost;
  runs: RunController;
  /** Requests typed for runs that did not start (no key yet): the next New Feature starts with them. */
  drafts: RequestDrafts;
  decisions: SpecDecisions;
  specs: SpecsService;
  folders: WorkspaceFolders;
  keys: ApiKeyStore;
  /** The key of `openai:` models. */
  openaiKeys: ApiKeyStore;
  log: EventLog;
  queueHttp: QueueHttpServer;
  queuePortal: QueuePortal;
  /** Initialize Workspace: the census's proposal in the sidebar. */
  init: InitController;
  /** Shows the Orchestrator's sidebar without taking the focus from the editor. */
  revealSidebar(): void;
}

export type CommandHandler = (services: Services, ...args: unknown[]) => unknown;

/** Commands invoked from the sidebar pass an id; the palette passes nothing (or a Uri). */
export const stringArg = (value: unknown): string | undefined =>
  typeof value === 'string' && value ? value : undefined;
