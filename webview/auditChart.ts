/**
 * The audit's score per iteration as an SVG line chart: the baseline and each iteration's
 * score on a 0–100 scale, the target (dashed) and the minimum acceptable score (dotted),
 * iterations along the cap. Built with DOM calls (no markup strings) and coloured by CSS
 * classes that read the theme's chart colours (media/sidebar.css), so it reads in light, dark
 * and high-contrast themes and needs nothing the CSP would block. A few hundred bytes of code
 * instead of a chart library in the webview bundle.
 */
import type { AuditView } from '../src/shared/protocol.js';

const NS = 'http://www.w3.org/2000/svg';
const W = 320;
const H = 150;
const M = { left: 28, right: 50, top: 12, bottom: 22 };
/** Iterations shown at least (the cap when smaller), so early progress is read against the cap. */
const MIN_SPAN = 10;

type Attrs = Record<string, string | number>;

function el(tag: string, attrs: Attrs, children: (Node | string)[] = []): SVGElement {
  const node = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  for (const child of children) node.append(child);
  return node;
}

export type ChartInput = Pick<AuditView, 'scores' | 'targetScore' | 'minAcceptableScore' | 'maxIterations'>;

export function scoreChart(audit: ChartInput): SVGElement {
  const { scores, targetScore, minAcceptableScore } = audit;
  const span = Math.max(scores.length - 1, Math.min(audit.maxIterations, MIN_SPAN), 1);
  const x = (i: number) => M.left + (i / span) * (W - M.left - M.right);
  const y = (score: number) => M.top + (1 - Math.max(0, Math.min(100, score)) / 100) * (H - M.top - M.bottom);
  const label = (i: number) => (i === 0 ? 'Baseline' : `Iteration ${i}`);
  const described =
    scores.length > 0
      ? `Score per iteration: ${scores.map((s, i) => `${label(i).toLowerCase()} ${s}`).join(', ')}; target ${targetScore}`
      : `No score yet; target ${targetScore}`;

  const parts: SVGElement[] = [el('title', {}, [described])];
  for (const tick of [0, 25, 50, 75, 100]) {
    parts.push(el('line', { class: 'grid', x1: M.left, x2: W - M.right, y1: y(tick), y2: y(tick) }));
    parts.push(
      el('text', { class: 'axis-label', x: M.left - 4, y: y(tick) + 3, 'text-anchor': 'end' }, [String(tick)]),
    );
  }
  const step = span <= 10 ? 1 : Math.ceil(span / 10);
  for (let i = 0; i <= span; i += step)
    parts.push(el('text', { class: 'axis-label', x: x(i), y: H - 8, 'text-anchor': 'middle' }, [String(i)]));
  const reference = (score: number, cls: string, text: string) => {
    parts.push(el('line', { class: cls, x1: M.left, x2: W - M.right, y1: y(score), y2: y(score) }));
    parts.push(el('text', { class: `axis-label ${cls}-label`, x: W - M.right + 3, y: y(score) + 3 }, [text]));
  };
  if (minAcceptableScore < targetScore) reference(minAcceptableScore, 'minimum', `min ${minAcceptableScore}`);
  reference(targetScore, 'target', `target ${targetScore}`);

  if (scores.length > 0) {
    const points = scores.map((s, i) => `${x(i).toFixed(1)},${y(s).toFixed(1)}`);
    parts.push(
      el('polygon', {
        class: 'area',
        points: [`${x(0).toFixed(1)},${y(0)}`, ...points, `${x(scores.length - 1).toFixed(1)},${y(0)}`].join(' '),
      }),
    );
    parts.push(el('polyline', { class: 'line', points: points.join(' ') }));
    scores.forEach((score, i) => {
      const reached = score >= targetScore;
      parts.push(
        el(
          'circle',
          {
            class: `point${reached ? ' reached' : ''}`,
            cx: x(i),
            cy: y(score),
            r: 3.5,
            'data-testid': 'audit-point',
            'data-iteration': i,
            'data-score': score,
          },
          [el('title', {}, [`${label(i)}: ${score}/100`])],
        ),
      );
      parts.push(el('text', { class: 'value', x: x(i), y: y(score) - 7, 'text-anchor': 'middle' }, [String(score)]));
    });
  }
  return el(
    'svg',
    {
      class: 'audit-chart',
      viewBox: `0 0 ${W} ${H}`,
      role: 'img',
      'aria-label': described,
      'data-testid': 'audit-chart',
    },
    parts,
  );
}
