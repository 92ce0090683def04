/**
 * The change-set's door (issue 73): `.claude/workspace.yaml`, the repositories one spec may change
 * together, found, loaded and checked (producers first), and proposed for a parent folder.
 */
export { type FolderWorkspace, workspaceOfFolders, writeFolderWorkspace } from './folderWorkspace';
export { type Edge, memberOrder, type MemberOrder, producersOf } from './memberOrder';
export { proposeWorkspace, type WorkspaceProposal } from './proposeWorkspace';
export {
  type ChangeSetWorkspace,
  findWorkspaceRoot,
  loadWorkspace,
  memberPath,
  WORKSPACE_FILE,
  type WorkspaceMember,
} from './workspaceFile';
export {
  WORKSPACE_SCHEMA_FILE,
  WORKSPACE_SCHEMA_MODELINE,
  workspaceJsonSchema,
  workspaceSchemaText,
} from './workspaceJsonSchema';
export { LINK_KINDS, type LinkKind, type MemberUse, type WorkspaceFile, workspaceSchema } from './workspaceSchema';
