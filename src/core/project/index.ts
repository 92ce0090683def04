/** The project files of the user's workspace (DESIGN.md "The user's workspace"). */
export * from './errors';
export * from './config';
export * from './registry';
export * from './registryWrite';
export * from './memory';
export * from './context';
export * from './specs';
export * from './init';
export * from './projectFiles';
export { CONFIG_FILE, CONTEXT_DIR, MEMORY_FILE, REGISTRY_FILE, SPEC_ACTIVE_DIR, SPEC_COMPLETED_DIR } from './files';
