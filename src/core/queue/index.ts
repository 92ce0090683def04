/**
 * The task queue's door: its store (SQLite in the repository's data folder, or PostgreSQL), the
 * service the MCP server and the portal call, and the tasks' shapes. The PostgreSQL store, its own
 * bundle loaded when queue.url names a server, is imported by its path (pgStore.ts), its second
 * door.
 */
export type { ArtifactPreview } from './artifactPreview';
export { repositoryDataDir } from './dataDir';
export { openQueueStore } from './openStore';
export { QUEUE_FILE_GLOBS } from './queueFiles';
export { PAGE_LIMITS, QueueError, type TaskPage, type TaskSummary } from './queueInputs';
export { QueueService } from './queueService';
export {
  type Account,
  type Artifact,
  ARTIFACT_TYPES,
  type Message,
  type PortalSession,
  type QueueChange,
  type QueueStore,
  type Reply,
  type ReviewOutcome,
  type Role,
  ROLES,
  type Task,
  TASK_STATUSES,
  type TaskDetail,
  type TaskStatus,
} from './types';
