/**
 * The config's door: .claude/orchestrator.yaml loaded and checked (its schema and defaults, the
 * models each agent uses, the layer owning a path, the layers' waves), the privacy deny list, the
 * paths no agent writes, the settings only a trusted config may set, the templates init copies,
 * and the schema as the editor's JSON Schema and the docs' table of options (configJsonSchema.ts).
 */
export {
  isSchemaPath,
  layerOwning,
  loadConfig,
  loadConfigText,
  modelFor,
  modelKeyFor,
  normalizeWorkspacePath,
} from './config';
export type { OrchestratorConfig, ProofConfig } from './configSchema';
export { about } from './configFields';
export { CONFIG_SCHEMA_FILE, configJsonSchema, SCHEMA_MODELINE, withOptionsTable } from './configJsonSchema';
export { copyTemplates, type GitignoreChange, gitignoreMessage, ignoreRunJournals } from './init';
export { computeWaves } from './layerWaves';
export { goesToPool } from './runsDispatch';
export { DenyList, whyNotCopied } from './privacy';
export { isInstalledCode, PROTECTED_GLOBS, protectedDirectory, protectedGlobOf } from './protectedPaths';
export { untrustedSettingsError } from './trustedSettings';
