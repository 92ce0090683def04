/**
 * Words an imported spec writes (import/renderForeign.ts) and the matrix reads: a task ticked
 * in the source, and a requirement the source links to no task.
 */
export const DONE_BEFORE_IMPORT = 'done before import';
export const NOT_LINKED = 'Not linked in the source';
