/**
 * The MCP room's door for the portal: the task queue's MCP server over HTTP (the handler, its
 * token, the request path's check). orchestrator mcp's stdio server is its own bundle
 * (dist/mcp.js) the CLI requires by its path (serveMcp.ts), the room's second door.
 */
export { mcpHandler, tokenMatches } from './httpServer';
export { createQueueServer } from './queueServer';
export { checkedPath, MALFORMED_PATH } from './requestPath';
export { loadOrCreateToken } from './token';
