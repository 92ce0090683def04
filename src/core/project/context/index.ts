/** The context's door: each agent's compiled context file, or its sources compiled in memory. */
export { contextPathFor, loadAgentContext } from './context';
