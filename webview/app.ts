/**
 * Lays the sections out in a fixed order and re-renders each one only when its slice of the
 * view model changed (compared as JSON; the model is plain data).
 */
import type { ViewState } from '../src/shared/protocol.js';
import type { Ctx, Section } from './section.js';
import { activity } from './sections/activity.js';
import { attemptsPanel } from './sections/attempts.js';
import { auditPanel } from './sections/audit.js';
import { blocks } from './sections/blocks.js';
import { apiWeather } from './sections/apiWeather.js';
import { modelSpend } from './sections/modelSpend.js';
import { header } from './sections/header.js';
import { initProposal } from './sections/initProposal.js';
import { lanes } from './sections/lanes.js';
import { stopReport } from './sections/report.js';
import { pool } from './sections/pool.js';
import { queue } from './sections/queue.js';
import { review } from './sections/review.js';
import { runPanel } from './sections/run.js';
import { runs } from './sections/runs.js';
import { specDetail } from './sections/specDetail.js';
import { specs } from './sections/specs.js';
import { trace } from './sections/trace.js';
import { drift } from './sections/drift.js';
import { changeRequest } from './sections/changeRequest.js';
import { changeSets } from './sections/changeSets.js';
import { unownedWork } from './sections/unownedWork.js';
import { runnersPanel } from './sections/runners.js';
import { workflowSteps } from './sections/workflow.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- sections differ only in their slice type
const layout: Section<any>[] = [
  header,
  initProposal,
  unownedWork,
  specDetail,
  stopReport,
  apiWeather,
  auditPanel,
  runPanel,
  workflowSteps,
  attemptsPanel,
  lanes,
  changeRequest,
  modelSpend,
  blocks,
  review,
  trace,
  drift,
  queue,
  pool,
  runnersPanel,
  specs,
  changeSets,
  runs,
  activity,
];

interface Slot {
  section: Section<unknown>;
  el: HTMLElement;
  key?: string;
}

export class App {
  private readonly slots: Slot[];
  readonly noticeEl: HTMLElement;

  constructor(
    root: HTMLElement,
    private readonly ctx: Ctx,
  ) {
    this.noticeEl = document.createElement('div');
    this.slots = layout.map((section) => {
      const el = document.createElement('div');
      el.dataset.section = section.id;
      return { section, el };
    });
    root.replaceChildren(this.noticeEl, ...this.slots.map((s) => s.el));
  }

  render(state: ViewState): void {
    for (const slot of this.slots) {
      const slice = slot.section.select(state);
      const key = JSON.stringify(slice) ?? '';
      if (key === slot.key) continue;
      slot.key = key;
      const node = slot.section.render(slice, this.ctx);
      if (node) slot.el.replaceChildren(node);
      else slot.el.replaceChildren();
    }
  }
}
