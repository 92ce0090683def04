/**
 * One change request through the spec gate: journaled (`change.requested`), the approved spec
 * kept as `spec.v{n}.md`, the spec agent rewrites it with the request (its previous text and
 * the request in its task, as when a human requests changes before approval), and the human
 * decides with the same gate — approve (`change.approved`, with the requirements and layers
 * the amendment changes), ask for more changes (the agent revises again), or decline
 * (`change.declined`: the approved text is put back).
 */
import { copyFile, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AmendmentSaved } from '../../errors';
import {
  loadSpec,
  approveSpec as markApproved,
  parseSpec,
  replaceSpecBody,
  type Spec,
  updateSpecStatus,
  withTemplateHeader,
} from '../../project/specs';
import { specTask } from '../agent';
import { decide, focusOf, runSpecAgent } from '../phases';
import type { RunContext } from '../kernel';
import { amendmentScope } from './affected';
import type { ChangeRequestEntry } from './inbox';
import { bodyWithoutHistory, currentVersion, historyLines, keepVersion, withHistory } from './specVersions';

export interface Amended {
  spec: Spec;
  requirements: string[];
  layers: string[];
}

/**
 * `reopened`: the request was picked up before and its gate interrupted (a crash, a cancel):
 * the approved text kept then is put back and the amendment written again.
 */
export async function amendSpec(
  ctx: RunContext,
  approved: Spec,
  change: Pick<ChangeRequestEntry, 'id' | 'request'>,
  reopened = false,
): Promise<Amended | undefined> {
  let spec = approved;
  // The decision a saved amendment's gate got since (a pooled run resumed with it), if any.
  const decided = reopened ? decidedSinceSaved(ctx.events, change.id) : undefined;
  let version: number;
  let kept: string;
  if (reopened) {
    version = (await currentVersion(ctx.workspace, spec)) - 1;
    kept = `${dirname(spec.path)}/spec.v${version}.md`;
    // Saved at its gate and approved since (amendmentsWait: a pooled run resumed by its approval): that text, as approved.
    if (decided?.action === 'approve') {
      const earlier = parseSpec(await readFile(join(ctx.workspace, kept), 'utf8'), kept, spec.id, spec.location);
      const scope = amendmentScope(bodyWithoutHistory(earlier.body), bodyWithoutHistory(spec.body), ctx.config);
      const approved = await markApproved(ctx.workspace, spec.id);
      ctx.emit({
        type: 'change.approved',
        changeId: change.id,
        specId: spec.id,
        version: version + 1,
        requirements: scope.requirements,
        layers: scope.layers,
      });
      return { spec: approved, ...scope };
    }
    await copyFile(join(ctx.workspace, kept), join(ctx.workspace, spec.path));
    spec = await loadSpec(ctx.workspace, spec.id);
  } else {
    ctx.emit({ type: 'change.requested', changeId: change.id, request: change.request });
    version = await currentVersion(ctx.workspace, spec);
    kept = await keepVersion(ctx.workspace, spec, version);
  }
  const before = bodyWithoutHistory(spec.body);
  const history = historyLines(spec.body);
  // A spec imported from Mustard brings its change requests in its History: they stay first.
  if (!history.some((line) => /^- v\d+ \(/.test(line)))
    history.push(`- v1 (${spec.frontMatter.approved ?? spec.frontMatter.created}): approved`);
  let feedback = decided?.action === 'changes' ? withFeedback(change.request, decided.feedback) : change.request;
  for (;;) {
    const markdown = await writeAmendment(ctx, spec, before, feedback);
    const at = new Date().toISOString();
    const scope = amendmentScope(before, markdown, ctx.config);
    const line = `- v${version + 1} (${at}): change requested: "${oneLine(change.request)}"; requirements changed: ${scope.requirements.join(', ') || 'none'}; earlier text: ${kept.split('/').pop()}`;
    await replaceSpecBody(ctx.workspace, spec.id, withHistory(markdown, [...history, line]));
    // At the gate as any spec is: a decision made elsewhere (the portal, a GitHub comment) is recorded on it.
    const amended = await updateSpecStatus(ctx.workspace, spec.id, 'awaiting-approval');
    ctx.emit({ type: 'spec.saved', specId: amended.id, path: amended.path });
    const decision = await decide(ctx, amended);
    if (decision.action === 'approve') {
      const approved = await markApproved(ctx.workspace, spec.id);
      ctx.emit({
        type: 'change.approved',
        changeId: change.id,
        specId: spec.id,
        version: version + 1,
        requirements: scope.requirements,
        layers: scope.layers,
      });
      return { spec: approved, ...scope };
    }
    if (decision.action === 'save' && ctx.opts.amendmentsWait) throw new AmendmentSaved(spec.id);
    if (decision.action === 'save') {
      // Declined: the approved version is the spec again, and the run goes on with it.
      await copyFile(join(ctx.workspace, kept), join(ctx.workspace, spec.path));
      ctx.emit({ type: 'change.declined', changeId: change.id, reason: 'the amendment was not approved' });
      return undefined;
    }
    feedback = withFeedback(change.request, decision.feedback);
  }
}

async function writeAmendment(ctx: RunContext, spec: Spec, approvedBody: string, request: string): Promise<string> {
  const final = await runSpecAgent(
    ctx,
    focusOf(ctx, spec),
    specTask({
      request: ctx.request,
      kind: spec.frontMatter.kind,
      understanding:
        'The spec below was approved and is being implemented. Amend it: change only what the request asks, keep the ids of requirements and criteria it does not change, and give new ones new ids.',
      feedback: { previous: approvedBody, text: `CHANGE REQUEST (amendment to the approved spec): ${request}` },
      ...(ctx.mustard.json?.specLang ? { language: ctx.mustard.json.specLang } : {}),
    }),
  );
  return withTemplateHeader(
    final.markdown,
    spec.frontMatter.title,
    new Date().toISOString().slice(0, 10),
    'awaiting-approval',
  );
}

function withFeedback(request: string, feedback: string): string {
  return `${request}\n\nAbout your amendment, the human adds: ${feedback}`;
}

/**
 * The open change's amendment saved at its gate (`spec.saved` after its `change.requested`), then
 * decided (amendmentsWait: a pooled run resumed with the decision): approved (`spec.approved`), or
 * changes asked (`spec.changes-requested`, its feedback for the spec agent).
 */
function decidedSinceSaved(
  events: RunContext['events'],
  changeId: string,
): { action: 'approve' } | { action: 'changes'; feedback: string } | undefined {
  let asked = false;
  let saved = false;
  let decided: { action: 'approve' } | { action: 'changes'; feedback: string } | undefined;
  for (const e of events) {
    if (e.type === 'change.requested' && e.changeId === changeId) [asked, saved, decided] = [true, false, undefined];
    else if (asked && e.type === 'spec.saved') [saved, decided] = [true, undefined];
    else if (saved && e.type === 'spec.approved') decided = { action: 'approve' };
    else if (saved && e.type === 'spec.changes-requested') decided = { action: 'changes', feedback: e.feedback };
  }
  return decided;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}
