/**
 * The project sources' door: the project's files read with line numbers (YAML and JSON), checked
 * against their schemas with errors naming file:line key, their warnings, and where each lives.
 */
export { formatKeyPath, ProjectFileError } from './errors';
export { describeValue, FileWarnings } from './fileWarnings';
export {
  CONFIG_FILE,
  CONTEXT_DIR,
  MEMORY_FILE,
  readOptionalText,
  REGISTRY_FILE,
  SPEC_ACTIVE_DIR,
  SPEC_COMPLETED_DIR,
  writeFileAtomic,
} from './files';
export { parseJsonSource } from './jsonSource';
export { isJsonObject, isStringArray } from './jsonValues';
export type { ParsedSource } from './parsedSource';
export { checkSchema } from './schemaCheck';
export { parseYamlSource } from './yamlSource';
