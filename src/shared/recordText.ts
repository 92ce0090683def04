/** How the runners' record reads (issue 47), alike in `runners stats` and the sidebar's table. */

/** A rate 0..1 as a whole percent; `–` when nothing counted (no proof tests ran, no review). */
export const rateText = (rate: number | undefined): string =>
  rate === undefined ? '–' : `${Math.round(rate * 100)} %`;

/** A mean time: seconds, minutes from two on. */
export const timeText = (ms: number): string =>
  ms >= 120_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;
