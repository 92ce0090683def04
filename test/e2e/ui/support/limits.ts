/**
 * Every UI test's timeout: a guard against a hang, not a speed test. The slowest tests take about
 * two minutes here with the machine shared, and CI's machine runs the workbench about half as fast.
 */
export const UI_TIMEOUT_MS = 360_000;
