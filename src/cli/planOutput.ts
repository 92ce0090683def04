/**
 * What `feature --dry-run` / `bugfix --dry-run` prints (issue 71): the run as it would go here —
 * where its layers come from, each layer's owns, gates, proof folder, wave, runner and model, the
 * phases with their gates, the other agents, what is unverified, and what would stop it before its
 * first call (with every way in). --json: the plan as one JSON value.
 */
import type { PlannedAgent, RunPlan } from '../core/engineBundle';
import { WAYS_IN } from '../core/text/providerKeys';
import { out as write, outJson } from './terminal';

export function printPlan(plan: RunPlan, json: boolean): void {
  if (json) {
    outJson({ status: 'dry-run', ...plan });
    return;
  }
  const out = (line = '') => write(`${line}\n`);
  out(`Dry run: a ${plan.kind} in ${plan.workspace} — no model call was made and nothing was written.`);
  out(`Request: ${plan.request}`);
  if (plan.census)
    out(
      `Layers from the census in memory (no .claude/orchestrator.yaml; \`orchestrator init\` writes it for you to edit): ${plan.census.files} files, ${plan.census.sourceFiles} source files, ${plan.census.ownedFiles} owned by a layer (${plan.census.ms} ms)`,
    );
  else out('Layers from .claude/orchestrator.yaml');
  out();
  out(`Layers (${plan.layers.length}):`);
  for (const layer of plan.layers) {
    out(
      `  ${layer.name} — wave ${layer.wave}${layer.after.length ? `, after ${layer.after.join(', ')}` : ''}; ${who(layer)}`,
    );
    out(`    owns: ${layer.owns.join(', ')}`);
    out(`    validate: ${layer.validate.length ? layer.validate.join('; ') : '(none)'}`);
    for (const proof of layer.proof) out(`    proof: ${proof.tests} with ${proof.command}`);
    out(`    checked by: ${layer.checkedBy.length ? layer.checkedBy.join(' and ') : 'nothing'}`);
  }
  out();
  out(`Waves: ${plan.waves.map((wave, i) => `${i + 1}. ${wave.join(' ∥ ')}`).join('  →  ')}`);
  out(`Proof: ${plan.proof.mode}${plan.proof.why ? ` (${plan.proof.why})` : ''}`);
  for (const folder of plan.proof.folders)
    out(`  ${folder.tests}${folder.layer ? ` (${folder.layer})` : ''}: ${folder.command}`);
  out();
  out(`Phases${plan.workflow ? ` (workflow ${plan.workflow})` : ''}:`);
  const width = Math.max(...plan.phases.map((p) => p.name.length));
  for (const phase of plan.phases) out(`  ${phase.name.padEnd(width)}  ${phase.title} — gate: ${phase.gate}`);
  out();
  out('Agents:');
  for (const agent of plan.agents) out(`  ${agent.agent}: ${who(agent)}`);
  if (plan.sync.length) out(`Sync commands: ${plan.sync.join('; ')}`);
  if (plan.deploy.length) out(`Deploy commands: ${plan.deploy.join('; ')}`);
  if (plan.unverified.length) {
    out();
    out('Unverified:');
    for (const line of plan.unverified) out(`  - ${line}`);
  }
  for (const warning of plan.warnings) out(`warn: ${warning}`);
  out();
  if (plan.blockers.length === 0) {
    out(`Nothing found that would stop it before its first model call: run it without --dry-run.`);
    return;
  }
  out('A run would stop before its first model call:');
  for (const line of plan.blockers) out(`  - ${line}`);
  for (const line of WAYS_IN) out(line);
}

function who(agent: PlannedAgent): string {
  const model = agent.model ? ` on ${agent.model} (${agent.modelKey})` : '';
  if (agent.runner === 'agent') return `our agent${model}`;
  if (agent.runner === 'external') return 'the task queue (runner: external): a person or an agent outside takes it';
  if (agent.runner === 'auto') return `auto: the runner with the best record among attemptRunners${model}`;
  return `${agent.runner} (a CLI agent)${agent.model ? ` on ${agent.model} (${agent.modelKey})` : ' on its own default model'}`;
}
