/**
 * The supervisor portal's page: a hash router over the screens (views.ts), live through the
 * server's event stream (`/api/events`): each change re-renders what is shown. Nothing polls.
 */
import { ApiError, call, ROUTES, setCsrf, type Me } from './api';
import { h } from './dom';
import { poolJournalView } from './poolJournalView';
import { poolView } from './poolView';
import { specsView } from './specsView';
import { accountsView, decides, newTaskView, signInView, taskView, tasksView } from './views';

const main = document.getElementById('main')!;
const nav = document.getElementById('nav')!;
const notice = document.getElementById('notice')!;
let me: Me | undefined;
let events: EventSource | undefined;

function notify(text: string): void {
  const line = h('p', {}, text);
  notice.append(line);
  setTimeout(() => line.remove(), 6000);
}

async function render(): Promise<void> {
  if (!me) return signInView(main, signedIn);
  const [route = '/tasks', query = ''] = location.hash.slice(1).split('?');
  try {
    if (route.startsWith('/task/')) await taskView(main, me, decodeURIComponent(route.slice(6)), notify);
    else if (route === '/new' && decides(me)) newTaskView(main, notify);
    else if (route === '/specs') await specsView(main, me, decides(me), notify);
    else if (route === '/pool') await poolView(main, decides(me), notify);
    else if (route.startsWith('/pool/'))
      await poolJournalView(main, decodeURIComponent(route.slice(6)), new URLSearchParams(query).get('before'));
    else if (route === '/accounts' && me.role === 'admin') await accountsView(main, me, notify, refresh);
    else {
      const params = new URLSearchParams(query);
      await tasksView(main, {
        ...(params.get('source') ? { source: params.get('source')! } : {}),
        ...(params.get('status') ? { status: params.get('status')! } : {}),
      });
    }
    main.dataset.rendered = String(Date.now());
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return signedOut();
    notify((error as Error).message);
  }
}

const typing = (): boolean => !!document.activeElement?.matches('main input, main textarea, main select');

// What the user is typing is not redrawn under them: a change then is kept, not dropped, and read
// when a render ends with no field in use (the sign-in form's, replaced by the first screen), or on
// the next change or move.
let missed = false;
function changed(): void {
  if (typing()) missed = true;
  else refresh();
}

// One render at a time, and one more after it when something changed meanwhile: a slow read that
// started before a change never paints over the read that followed it.
let rendering: Promise<void> | undefined;
let again = false;
function refresh(): void {
  if (rendering) {
    again = true;
    return;
  }
  missed = false;
  rendering = render().finally(() => {
    rendering = undefined;
    if (again || (missed && !typing())) {
      again = false;
      refresh();
    }
  });
}

function signedIn(who: Me): void {
  me = who;
  setCsrf(who.csrf);
  nav.hidden = false;
  document.getElementById('who')!.textContent = `${who.name} (${who.role})`;
  nav
    .querySelectorAll<HTMLElement>('[data-role]')
    .forEach((el) => (el.hidden = el.dataset.role === 'admin' ? who.role !== 'admin' : !decides(who)));
  document.getElementById('nav-pool')!.hidden = !who.pool;
  events?.close();
  events = new EventSource(ROUTES.events.path);
  // The stream (re)opened: what changed before it listened (the first read raced it, or it was
  // away) is read again; the server subscribes the stream before it answers.
  events.addEventListener('open', changed);
  events.addEventListener('change', changed);
  // The pool moved (a run's phase, worker or cost; the day's spend): the pages showing it re-read.
  events.addEventListener('pool', () => {
    if (/^#\/(pool|specs)\b/.test(location.hash)) changed();
  });
  refresh();
}

function signedOut(): void {
  me = undefined;
  events?.close();
  nav.hidden = true;
  refresh();
}

document.getElementById('signout')!.addEventListener('click', () => void call(ROUTES.signOut).finally(signedOut));
window.addEventListener('hashchange', () => {
  refresh();
  main.focus();
});
call(ROUTES.me).then(signedIn, () => signedOut());
