// The e2e harness: code-server + headless Chromium for test tiers 2 and 3 (test/e2e/README.md).
export * from './paths';
export * from './codeServer';
export * from './browser';
export * from './extensionTests';
export * from './ui';
export * from './shared';
export * from './scriptedChat';
