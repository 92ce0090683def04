/** Approve Spec, Request Changes, Save Spec for Later and Open Spec. */
import * as vscode from 'vscode';
import type { SpecInfo } from '../../core/api';
import { requireTrust } from '../host/trust';
import { stringArg, type Services } from '../services';
import { specFilePath } from '../specs/specFiles';
import { isSavedSpec } from '../view/selectors';
import { dispatchesToPool, sendToPool } from '../pool/poolDispatch';

async function pickSpec(
  s: Services,
  workspace: string,
  purpose: string,
  filter: (spec: SpecInfo) => boolean,
): Promise<SpecInfo | undefined> {
  let specs: SpecInfo[] = [];
  try {
    specs = (await s.engine.listSpecs(workspace)).filter(filter);
  } catch (err) {
    s.log.write('warn', `listing specs failed: ${String(err)}`);
  }
  if (specs.length === 0) {
    void vscode.window.showInformationMessage(`Orchestrator: no spec to ${purpose}.`);
    return undefined;
  }
  if (specs.length === 1) return specs[0];
  const picked = await vscode.window.showQuickPick(
    specs.map((spec) => ({ label: spec.title, description: `${spec.kind} · ${spec.status}`, detail: spec.id, spec })),
    { title: `Orchestrator: spec to ${purpose}`, matchOnDetail: true, ignoreFocusOut: true },
  );
  return picked?.spec;
}

/** Answers the pending decision, or implements a saved spec (approved days later). */
export async function approveSpec(s: Services, arg?: unknown, phase?: unknown): Promise<void> {
  const specId = stringArg(arg);
  // A workflow phase's gate (a chat button passes its phase): only that gate, never the spec's.
  if (s.decisions.approve(specId, stringArg(phase))) return;
  if (stringArg(phase) !== undefined)
    return void vscode.window.showInformationMessage(
      `Orchestrator: phase ${stringArg(phase)} of ${specId ?? 'the spec'} is not waiting for a decision.`,
    );
  if (!requireTrust('Approve Spec')) return;
  const folder = specId ? s.folders.current() : await s.folders.pick('approve a spec in');
  if (!folder) return;
  const ws = folder.uri.fsPath;
  const spec = specId
    ? s.store.state.specs.find((x) => x.id === specId)
    : await pickSpec(s, ws, 'approve', (x) => isSavedSpec(x.status) && !x.mustard?.refusal && !x.foreign?.refusal);
  const id = spec?.id ?? specId;
  if (!id) return;
  // `runs.dispatch: pool` (issue 28): the saved spec is implemented by a worker, as `approve <specId> --pool`.
  if (await dispatchesToPool(ws)) {
    await sendToPool(
      s,
      ws,
      {
        kind: 'approve',
        request: `approve ${id}`,
        specId: id,
        flags: { autoApprove: true, approveGates: true },
        labels: [],
      },
      'Approve Spec',
    );
    return;
  }
  await s.runs.run({
    kind: 'approve',
    label: spec?.title ?? id,
    workspace: ws,
    needsKey: true,
    execute: (o) => s.engine.approveSpec(id, o),
  });
}

/**
 * Request Changes (the chat's button, the palette): the feedback for the spec (or the workflow
 * phase) waiting at its gate; the spec agent writes it again. Ids are checked against the gate.
 */
export async function requestChanges(s: Services, arg?: unknown, phase?: unknown): Promise<void> {
  const pending = s.decisions.pending;
  const specId = stringArg(arg) ?? pending?.specId;
  const gatePhase = stringArg(phase) ?? (stringArg(arg) ? undefined : pending?.phase);
  if (!pending || specId !== pending.specId || gatePhase !== pending.phase) {
    void vscode.window.showInformationMessage(`Orchestrator: ${specId ?? 'no spec'} is not waiting for a decision.`);
    return;
  }
  const feedback = await vscode.window.showInputBox({
    title: `Orchestrator: changes to ${gatePhase === undefined ? specId : `phase ${gatePhase} of ${specId}`}`,
    prompt: 'What should change? The spec is written again with it.',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'Say what should change.'),
  });
  if (!feedback?.trim()) return;
  if (!s.decisions.requestChanges(specId, feedback, gatePhase))
    void vscode.window.showInformationMessage(`Orchestrator: ${specId} no longer waits for a decision.`);
}

/** Save Spec for Later: the spec (or phase) waiting at its gate is kept; `approve` continues it later. */
export function saveSpec(s: Services, arg?: unknown, phase?: unknown): void {
  if (!s.decisions.save(stringArg(arg), stringArg(phase)))
    void vscode.window.showInformationMessage('Orchestrator: no spec is waiting for a decision.');
}

export async function openSpec(s: Services, arg?: unknown): Promise<void> {
  const specId = stringArg(arg);
  const pending = s.store.state.pendingDecision;
  let file: string | undefined;
  if (pending && (!specId || specId === pending.id)) {
    const ws = s.runs.workspace ?? s.folders.current()?.uri.fsPath;
    file = ws ? specFilePath(ws, pending.path) : pending.path;
  } else {
    const folder = specId ? s.folders.current() : await s.folders.pick('open a spec from');
    if (!folder) return;
    const ws = folder.uri.fsPath;
    const spec = specId ? s.store.state.specs.find((x) => x.id === specId) : await pickSpec(s, ws, 'open', () => true);
    if (spec) file = specFilePath(ws, spec.path);
  }
  if (!file) return;
  await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
}
