// The accounts screen (an admin's: roles, passwords, agents' MCP tokens): split from views.ts, which re-exports it.
import { call, ROUTES, type Me } from './api';
import { field, h, show } from './dom';

export async function accountsView(
  main: HTMLElement,
  me: Me,
  notify: (text: string) => void,
  reload: () => void,
): Promise<void> {
  const accounts = await call(ROUTES.accounts);
  const tokenOut = h('p', { class: 'token', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'stack', 'aria-label': 'Add or change an account' },
    h('h2', {}, 'Add or change an account'),
    h('label', {}, 'Name', h('input', { name: 'name', required: true })),
    h(
      'label',
      {},
      'Role',
      h('select', { name: 'role' }, ...['supervisor', 'admin', 'agent'].map((r) => h('option', { value: r }, r))),
    ),
    h(
      'label',
      {},
      'Password (empty: unchanged; agents need none)',
      h('input', { name: 'password', type: 'password', autocomplete: 'new-password' }),
    ),
    h(
      'label',
      {},
      'Email for OpenID Connect sign-in (empty: unchanged; "-" removes it)',
      h('input', { name: 'email', type: 'text', inputmode: 'email', autocomplete: 'off' }),
    ),
    h('button', { type: 'submit' }, 'Save'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const email = String(data.get('email') ?? '').trim();
    call(ROUTES.putAccount, {
      body: {
        name: field(data, 'name'),
        role: field(data, 'role'),
        password: field(data, 'password'),
        ...(email ? { email: email === '-' ? null : email } : {}),
      },
    }).then(reload, (e: Error) => notify(e.message));
  });
  const act =
    <T>(request: () => Promise<T>, after: (value: T) => void) =>
    () =>
      void request().then(after, (e: Error) => notify(e.message));
  show(
    main,
    h('h1', {}, 'Accounts'),
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, 'Name'),
          h('th', {}, 'Role'),
          h('th', {}, 'Email'),
          h('th', {}, 'MCP token'),
          h('th', {}, h('span', { class: 'visually-hidden' }, 'Actions')),
        ),
      ),
      h(
        'tbody',
        {},
        ...accounts.map((a) =>
          h(
            'tr',
            { 'data-account': a.name },
            h('td', {}, a.name),
            h('td', {}, a.role),
            h('td', {}, a.email ?? ''),
            h('td', {}, a.hasToken ? 'issued' : ''),
            h(
              'td',
              { class: 'row-actions' },
              a.role === 'agent'
                ? h(
                    'button',
                    {
                      type: 'button',
                      class: 'secondary',
                      onclick: act(
                        () => call(ROUTES.issueToken, { params: { name: a.name } }),
                        (v) => (tokenOut.textContent = `New token for ${a.name} (shown once): ${v.token ?? ''}`),
                      ),
                    },
                    'New token',
                  )
                : null,
              a.hasToken
                ? h(
                    'button',
                    {
                      type: 'button',
                      class: 'secondary',
                      onclick: act(() => call(ROUTES.revokeToken, { params: { name: a.name } }), reload),
                    },
                    'Revoke token',
                  )
                : null,
              a.name !== me.name
                ? h(
                    'button',
                    {
                      type: 'button',
                      class: 'secondary',
                      onclick: act(() => call(ROUTES.deleteAccount, { params: { name: a.name } }), reload),
                    },
                    'Delete',
                  )
                : null,
            ),
          ),
        ),
      ),
    ),
    tokenOut,
    form,
  );
}
