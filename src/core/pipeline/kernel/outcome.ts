/** How a pipeline ends when it does not stop: completed, or with its spec saved for a later approval. */
export type PipelineOutcome = 'completed' | 'spec-saved';
