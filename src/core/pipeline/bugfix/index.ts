/** The bugfix pipeline's door: the pipeline and its DIAGNOSE phase. */
export { bugfixPipeline } from './bugfixPipeline';
export { diagnosePhase } from './diagnosePhase';
