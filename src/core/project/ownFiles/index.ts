/**
 * Orchestrator's own files in a user's work tree: which they are, the project's Prettier that
 * writes them as the project's checks read them, and the files a check's output names.
 */
export { filesNamed, formatCommand, isOurFile, projectPrettier } from './ownFiles';
