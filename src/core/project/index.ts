/** The project files of the user's workspace (docs/configuration.md "The project files"). */
export * from './sources/errors';
export * from './config/config';
export * from './registry/registry';
export * from './registry/registryWrite';
export * from './registry/memory';
export * from './context/context';
export * from './specs/specs';
export * from './config/init';
export * from './registry/projectFiles';
export { CONFIG_FILE, CONTEXT_DIR, MEMORY_FILE, REGISTRY_FILE, SPEC_ACTIVE_DIR, SPEC_COMPLETED_DIR } from './sources/files';
