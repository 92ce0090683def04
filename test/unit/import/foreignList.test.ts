// `specs` lists the Kiro and Spec Kit folders a workspace holds and has not imported yet: each
// with its format, title, counts, state and next step, read by the importer's own readers; an
// imported folder is listed once, as its spec; what cannot be read is a warning on its row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { engine } from '../../../src/core/engine';
import { findForeignFolders } from '../../../src/core/import/foreignFolders';
import { listForeignSpecs } from '../../../src/core/import/foreignList';
import type { SpecInfo } from '../../../src/core/api';
import { printSpecs } from '../../../src/cli/output';
import { makeShop } from '../../support/engine/shopWorkspace';
import * as F from '../../support/foreignSpecFolders';

const ALL = {
  ...F.kiroCart(),
  ...F.kiroBugfix(),
  ...F.kiroDesignFirst(),
  ...F.kiroNoTasks(),
  ...F.specKitOrders(),
  ...F.specKitNoTasks(),
  ...F.nestedFolders(),
  ...F.notSpecFolders(),
};

const foreignRows = (specs: SpecInfo[]) => specs.filter((s) => s.foreign);

test('specs lists every Kiro and Spec Kit folder with format, title, counts, state and the approve command; notes and dependencies are not folders', async () => {
  const shop = makeShop({ git: false, files: ALL });
  try {
    const rows = foreignRows(await engine.listSpecs(shop.dir));
    const row = (id: string) => rows.find((r) => r.id === id)!;
    assert.deepEqual(
      rows.map((r) => r.id),
      [F.CART, F.DESIGN_FIRST, F.NO_TASKS, F.BUGFIX, F.NESTED_KIRO, F.NESTED_SPEC_KIT, F.ORDERS, F.COUPONS],
    );

    // Requirements-first: the generic H1 gives way to design.md's title; the group is not a task.
    const cart = row(F.CART);
    assert.deepEqual(
      [cart.title, cart.kind, cart.status, cart.path],
      ['Shopping cart', 'feature', 'Kiro · ready to approve', `${F.CART}/requirements.md`],
    );
    assert.deepEqual(cart.foreign, {
      format: 'kiro',
      files: ['requirements.md', 'design.md', 'tasks.md'],
      state: 'ready',
      requirements: 2,
      tasks: 3,
      doneTasks: 1,
      next: `orchestrator approve ${F.CART}`,
      warnings: [],
    });

    // A bug spec: bugfix.md's statements are its requirements; a bare "# Design" is no title.
    const bug = row(F.BUGFIX);
    assert.deepEqual([bug.title, bug.kind, bug.path], ['Zero total bug', 'bugfix', `${F.BUGFIX}/bugfix.md`]);
    assert.deepEqual(
      [bug.foreign!.files, bug.foreign!.requirements, bug.foreign!.tasks, bug.foreign!.state],
      [['bugfix.md', 'design.md', 'tasks.md'], 2, 1, 'ready'],
    );

    // Design-first: ids the tasks cite are requirements to review against the design, said as warnings.
    const design = row(F.DESIGN_FIRST);
    assert.deepEqual(
      [design.title, design.path, design.foreign!.requirements, design.foreign!.tasks],
      ['CSV export of orders', `${F.DESIGN_FIRST}/design.md`, 1, 2],
    );
    assert.equal(design.foreign!.warnings.length, 2);
    assert.match(
      design.foreign!.warnings[0]!,
      /tasks\.md cites REQ-1\.1, which the folder \(design-first: no requirements\.md\) does not define/,
    );

    // No tasks.md yet (a steps.md is not one): listed, not ready, and why approve refuses it.
    const wishlist = row(F.NO_TASKS);
    assert.deepEqual(
      [
        wishlist.title,
        wishlist.status,
        wishlist.foreign!.state,
        wishlist.foreign!.requirements,
        wishlist.foreign!.tasks,
      ],
      ['Wishlist', 'Kiro · no tasks.md yet', 'no-tasks', 1, undefined],
    );
    assert.equal(
      wishlist.foreign!.next,
      `let Kiro write the task list (or write it), then: orchestrator approve ${F.NO_TASKS}`,
    );
    assert.equal(
      wishlist.foreign!.refusal,
      `${F.NO_TASKS} has no tasks.md yet: let Kiro write the task list (or write it), then approve the folder`,
    );
    assert.deepEqual(wishlist.foreign!.warnings, []);

    // Spec Kit: a story and an FR id; plan.md is listed, never read; a feature before /speckit.tasks.
    const orders = row(F.ORDERS);
    assert.deepEqual(
      [orders.title, orders.status, orders.path],
      ['Order history', 'Spec Kit · ready to approve', `${F.ORDERS}/spec.md`],
    );
    assert.deepEqual(orders.foreign, {
      format: 'speckit',
      files: ['spec.md', 'plan.md', 'tasks.md'],
      state: 'ready',
      requirements: 2,
      tasks: 2,
      doneTasks: 1,
      next: `orchestrator approve ${F.ORDERS}`,
      warnings: [],
    });
    assert.deepEqual(
      [row(F.COUPONS).status, row(F.COUPONS).foreign!.next],
      ['Spec Kit · no tasks.md yet', `run /speckit.tasks (or write tasks.md), then: orchestrator approve ${F.COUPONS}`],
    );

    // Sub-projects: a Kiro folder in app/, a Spec Kit feature two folders down with heading tasks.
    assert.deepEqual([row(F.NESTED_KIRO).title, row(F.NESTED_KIRO).foreign!.tasks], ['Login', 1]);
    assert.deepEqual(
      [row(F.NESTED_SPEC_KIT).title, row(F.NESTED_SPEC_KIT).foreign!.tasks, row(F.NESTED_SPEC_KIT).foreign!.state],
      ['Invoice export', 1, 'ready'],
    );
  } finally {
    shop.cleanup();
  }
});

test('an imported folder is listed once, as its spec (with the folder as its source); deleting the spec lists the folder again', async () => {
  const shop = makeShop({ git: false, files: { ...F.kiroCart(), ...F.specKitOrders() } });
  try {
    const imported = await engine.importSpec(shop.dir, F.CART);
    const specs = await engine.listSpecs(shop.dir);
    assert.deepEqual(
      foreignRows(specs).map((s) => s.id),
      [F.ORDERS],
    );
    const spec = specs.find((s) => s.id === imported.specId)!;
    assert.deepEqual([spec.source, spec.status, spec.foreign], [F.CART, 'awaiting-approval', undefined]);
    assert.match(shop.read(imported.specPath), /\nsource: \.kiro\/specs\/cart\n/);

    // A spec imported before `source:` was written says its folder in its summary line only.
    shop.write(imported.specPath, shop.read(imported.specPath).replace(/\nsource: .*\n/, '\n'));
    assert.deepEqual(
      foreignRows(await engine.listSpecs(shop.dir)).map((s) => s.id),
      [F.ORDERS],
    );
    assert.equal((await engine.listSpecs(shop.dir)).find((s) => s.id === imported.specId)!.source, F.CART);

    rmSync(join(shop.dir, 'spec/active', imported.specId), { recursive: true });
    assert.deepEqual(
      foreignRows(await engine.listSpecs(shop.dir)).map((s) => s.id),
      [F.CART, F.ORDERS],
    );
  } finally {
    shop.cleanup();
  }
});

test('a folder that cannot be read fully is a warning on its row; the others are listed as usual', async () => {
  const shop = makeShop({
    git: false,
    files: {
      ...F.kiroCart(),
      [`${F.BROKEN}/tasks.md`]: 'Nothing planned here, only prose.\n\n* a bullet that is no task\n',
      [`${F.BROKEN}/design.md`]: '# Design: Broken\n',
    },
  });
  try {
    // requirements.md is a folder: it exists but cannot be read as a file.
    mkdirSync(join(shop.dir, F.BROKEN, 'requirements.md'));
    const rows = foreignRows(await engine.listSpecs(shop.dir));
    assert.deepEqual(
      rows.map((r) => r.id),
      [F.BROKEN, F.CART],
    );
    const broken = rows[0]!;
    assert.deepEqual(
      [broken.title, broken.status, broken.foreign!.state],
      ['Broken', 'Kiro · no task readable in tasks.md', 'no-readable-tasks'],
    );
    assert.deepEqual(broken.foreign!.warnings, ['requirements.md: cannot be read (EISDIR)']);
    assert.equal(broken.foreign!.refusal, `${F.BROKEN}/tasks.md: no task could be read; nothing would be imported`);
    assert.equal(rows[1]!.foreign!.state, 'ready');
  } finally {
    shop.cleanup();
  }
});

test('printSpecs: a hostile title reaches the terminal as visible escapes; each folder is named whole with its next step and warnings', async () => {
  const shop = makeShop({ git: false, files: { ...F.hostileTitle(), ...F.kiroDesignFirst(), ...F.kiroNoTasks() } });
  const written: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  try {
    const specs = await engine.listSpecs(shop.dir);
    assert.equal(specs.find((s) => s.id === F.HOSTILE)!.title, F.HOSTILE_TITLE, 'the data keeps the title as written');
    process.stdout.write = ((chunk: string) => written.push(chunk) > 0) as typeof process.stdout.write;
    try {
      printSpecs(false, specs);
    } finally {
      process.stdout.write = write;
    }
    const text = written.join('');
    // eslint-disable-next-line no-control-regex -- control characters are what it looks for
    const control = /[\u0000-\u0008\u000b-\u001f\u007f]/;
    assert.ok(!control.test(text), `no control character reaches the terminal: ${JSON.stringify(text)}`);
    assert.match(
      text,
      /\.kiro\/specs\/hostile\s+feature\s+Kiro · ready to approve\s+Cart \\x1b\[2J\\x1b\]0;pwned\\x07 export\n/,
    );
    assert.match(text, /\nKiro and Spec Kit folders not imported yet \(approve imports one and implements it\):\n/);
    assert.match(
      text,
      /\n {2}\.kiro\/specs\/csv-export {2}Kiro · ready to approve · 1 requirement, 2 tasks\n {6}next: orchestrator approve \.kiro\/specs\/csv-export\n {6}warning: tasks\.md cites REQ-1\.1/,
    );
    assert.match(
      text,
      /\n {2}\.kiro\/specs\/wishlist {2}Kiro · no tasks\.md yet · 1 requirement\n {6}next: let Kiro write the task list \(or write it\), then: orchestrator approve \.kiro\/specs\/wishlist\n/,
    );
  } finally {
    shop.cleanup();
  }
});

test('past the reading budget, folders are listed with title and state but no counts; unchanged folders read before cost nothing', async () => {
  const shop = makeShop({ git: false, files: { ...F.kiroCart(), ...F.kiroNoTasks(), ...F.specKitOrders() } });
  try {
    const folders = await findForeignFolders(shop.dir);
    assert.deepEqual(
      folders.map((f) => f.dir),
      [F.CART, F.NO_TASKS, F.ORDERS],
    );
    // Enough for the cart folder only (its requirements.md, tasks.md and design.md, whole as it is small).
    const cartBytes = ['requirements.md', 'tasks.md', 'design.md'].reduce(
      (n, f) => n + statSync(join(shop.dir, F.CART, f)).size,
      0,
    );
    const rows = await listForeignSpecs(shop.dir, folders, cartBytes);
    assert.deepEqual(
      rows.map((r) => [r.id, r.title, r.status, r.foreign!.tasks, r.foreign!.counted]),
      [
        [F.CART, 'Shopping cart', 'Kiro · ready to approve', 3, undefined],
        [F.NO_TASKS, 'Wishlist', 'Kiro · no tasks.md yet', undefined, false],
        [F.ORDERS, 'Order history', 'Spec Kit · ready to approve', undefined, false],
      ],
    );
    assert.equal(rows[2]!.foreign!.requirements, undefined);
    // The cart folder is remembered: with no budget at all it keeps its counts; the others stay uncounted.
    const again = await listForeignSpecs(shop.dir, folders, 0);
    assert.deepEqual(
      again.map((r) => r.foreign!.tasks),
      [3, undefined, undefined],
    );
    // A changed tasks.md is read again (and, with no budget, not counted).
    shop.write(`${F.CART}/tasks.md`, `${shop.read(`${F.CART}/tasks.md`)}- [ ] 3. One more in web/src/cart.js\n`);
    assert.equal((await listForeignSpecs(shop.dir, folders, 0))[0]!.foreign!.counted, false);
    assert.equal((await listForeignSpecs(shop.dir, folders, 1_000_000))[0]!.foreign!.tasks, 4);
  } finally {
    shop.cleanup();
  }
});
