import type { DictionaryReport, WorkflowListing } from '../core/engine';
import { err, out, outJson, visibleLine } from './terminal';

type Described = Omit<WorkflowListing, 'origin'> & { origin?: WorkflowListing['origin'] };

/** `workflows`: each workflow with its phases, gates and documents (a broken file with its problem). */
export function printWorkflows(workflows: WorkflowListing[], json: boolean): void {
  if (json) {
    outJson(workflows);
    return;
  }
  if (workflows.length === 0) {
    out('(none)\n');
    return;
  }
  workflows.forEach((workflow, index) => out(`${index > 0 ? '\n' : ''}${describe(workflow)}`));
}

/** `workflow check <file>`: what a valid file holds (a broken one never gets here: exit 2 with file:line key). */
export function printWorkflowCheck(workflow: Described, json: boolean): void {
  if (json) outJson({ status: 'valid', ...workflow });
  else out(`${visibleLine(workflow.file)}: valid, ${workflow.phases.length} phase(s)\n${describe(workflow)}`);
}

function describe(workflow: Described): string {
  const origin = workflow.origin ? ` (${workflow.origin === 'shipped' ? 'shipped' : visibleLine(workflow.file)})` : '';
  const head = `${visibleLine(workflow.name)}${origin}${workflow.description ? `: ${visibleLine(workflow.description)}` : ''}\n`;
  if (workflow.problem) return `${head}  invalid: ${visibleLine(workflow.problem)}\n`;
  const width = Math.max(...workflow.phases.map((phase) => phase.name.length));
  const lines = workflow.phases.map((phase, index) => {
    const how = [phase.uses ? `uses ${phase.uses}` : '', phase.fanOut ? `per ${phase.fanOut.slice(0, -1)}` : '']
      .filter(Boolean)
      .join(', ');
    const documents = phase.documents.filter((document) => document !== 'code');
    return `  ${String(index + 1).padStart(2)}. ${visibleLine(phase.name).padEnd(width)}  gate ${visibleLine(phase.gate)}${how ? `  (${how})` : ''}${documents.length ? `  → ${documents.map(visibleLine).join(', ')}` : ''}`;
  });
  return `${head}${lines.join('\n')}\n`;
}

/** `check dictionary`: each difference on its own line (stdout), warnings on stderr; 1 when any. */
export function printDictionaryCheck(report: DictionaryReport, json: boolean): number {
  if (json) outJson(report);
  else {
    report.warnings.forEach((warning) => err(`warn: ${visibleLine(warning)}\n`));
    report.differences.forEach((difference) => out(`${visibleLine(difference.message)}\n`));
    out(
      report.ok
        ? `${report.dictionary} matches the schema: ${report.tables.length} table(s) in ${report.schemaFiles.length} schema file(s)\n`
        : `${report.differences.length} difference(s) between ${report.dictionary} and the schema (${report.schemaFiles.length} schema file(s))\n`,
    );
  }
  return report.ok ? 0 : 1;
}
