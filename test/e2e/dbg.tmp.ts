import { openWorkbench, runCommand, answerInput, sidebarFrame, statusBarItem } from './harness';
(async () => {
  let t = performance.now();
  const lap = (s: string) => { const n = performance.now(); console.log(s, ((n - t) / 1000).toFixed(1)); t = n; };
  const wb = await openWorkbench({ workspace: '/tmp/ws1', extensionPath: '/work/main/test/e2e/fixtures/minimal-extension' });
  lap(`open (ready ${(wb.readyMs/1000).toFixed(1)})`);
  await runCommand(wb.page, 'Orchestrator: New Feature'); lap('runCommand');
  await answerInput(wb.page, 'x'); lap('answer');
  await sidebarFrame(wb.page).locator('#request', { hasText: 'x' }).waitFor(); lap('sidebar');
  await sidebarFrame(wb.page).locator('#approve').click(); lap('click');
  await statusBarItem(wb.page, 'status').filter({ hasText: 'approved' }).waitFor(); lap('status');
  await wb.close('dbg'); lap('close');
})();
