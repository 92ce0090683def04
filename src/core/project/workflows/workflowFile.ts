import { checkSchema, formatKeyPath, parseYamlSource, ProjectFileError } from '../sources';
import { workflowProblems, workflowSchema, type WorkflowFile } from './workflowSchema';

/** A workflow as the engine runs it: its name (the file's), where it came from, its phases. */
export interface Workflow extends WorkflowFile {
  name: string;
  /** The file it was read from, workspace-relative when in the workspace (messages name it). */
  file: string;
  origin: 'workspace' | 'shipped';
}

/**
 * Parses one workflow file. Any problem — YAML syntax, the schema, a reference to a phase that
 * does not come earlier — is a ProjectFileError naming the file, the line and the key.
 */
export function parseWorkflow(text: string, file: string): WorkflowFile {
  const source = parseYamlSource(text, file);
  if (source.value === null || source.value === undefined)
    throw new ProjectFileError({ file, line: 1, key: 'phases' }, 'missing (expected a list of phases)');
  const workflow = checkSchema(workflowSchema, source);
  const problems = workflowProblems(workflow)
    .map((problem) => ({ ...problem, at: source.locate(problem.path) }))
    .sort((a, b) => a.at.line - b.at.line || a.at.column - b.at.column);
  const first = problems[0];
  if (first)
    throw new ProjectFileError(
      { file, line: first.at.line, column: first.at.column, key: formatKeyPath(first.path) },
      first.message,
    );
  return workflow;
}
