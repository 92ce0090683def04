/**
 * Sidebar entry point: render the persisted state at once, say `ready`, then render every
 * state the host sends. Incoming messages are validated; anything else is dropped and logged.
 */
import './litNonce.js';
import './zodConfig.js';
import './elements.js';
import { parseHostMessage, type ViewState } from '../src/shared/protocol.js';
import { App } from './app.js';
import { showNotice } from './sections/notice.js';
import { loadPersisted, post, savePersisted, type Persisted } from './vscodeApi.js';

const persisted: Persisted = loadPersisted();
const save = () => savePersisted(persisted);
const root = document.getElementById('app') ?? document.body;
const app = new App(root, { post, ui: persisted.ui, saveUi: save });

function show(state: ViewState): void {
  // Messages are ordered, but a state restored from storage may be newer than nothing else:
  // a host restart resets versions, so only skip exact duplicates of what is on screen.
  if (
    persisted.view &&
    state.version === persisted.view.version &&
    JSON.stringify(state) === JSON.stringify(persisted.view)
  )
    return;
  persisted.view = state;
  save();
  app.render(state);
}

if (persisted.view) app.render(persisted.view);

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = parseHostMessage(event.data);
  if (!parsed.ok) {
    console.warn(`[orchestrator] ${parsed.error}`);
    return;
  }
  const message = parsed.message;
  if (message.type === 'state') show(message.state);
  else showNotice(app.noticeEl, message.level, message.text);
});

post({ type: 'ready' });
