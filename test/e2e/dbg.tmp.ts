import { openWorkbench, runCommand, answerInput, sidebarFrame } from './harness';
(async () => {
  const t0 = performance.now();
  const wb = await openWorkbench({ workspace: '/tmp/ws1', extensionPath: '/work/main/test/e2e/fixtures/minimal-extension' });
  const t1 = performance.now();
  console.log('open', (t1 - t0) | 0, 'ready', wb.readyMs | 0);
  wb.page.on('console', () => undefined);
  await runCommand(wb.page, 'Orchestrator: New Feature');
  const t2 = performance.now(); console.log('runCommand', (t2 - t1) | 0);
  await answerInput(wb.page, 'x');
  await sidebarFrame(wb.page).locator('#request', { hasText: 'x' }).waitFor();
  const t3 = performance.now(); console.log('flow', (t3 - t2) | 0);
  await wb.close();
  console.log('close', (performance.now() - t3) | 0);
})();
