/**
 * A generated large workspace: `.claude/entity-registry.json` with 10,000 entities (refs,
 * subs, patterns, enums), a `.claude/memory.jsonl` describing every one of them, a config
 * with three layers, and 20,000 small source files in nested folders. Deterministic (seeded
 * PRNG), so every bench run measures the same bytes.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LargeWorkspaceOptions {
  entities?: number;
  files?: number;
  enums?: number;
}

export interface LargeWorkspace {
  dir: string;
  entityNames: string[];
  /** Every generated source file, workspace-relative. */
  files: string[];
  stats: {
    entities: number;
    enums: number;
    memoryLines: number;
    files: number;
    registryBytes: number;
    memoryBytes: number;
  };
  cleanup(): void;
}

/** mulberry32: tiny, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DOMAINS = [
  'Account',
  'Billing',
  'Catalog',
  'Customer',
  'Delivery',
  'Employee',
  'Finance',
  'Group',
  'Health',
  'Inventory',
  'Journal',
  'Kiosk',
  'Ledger',
  'Market',
  'Network',
  'Office',
  'Payroll',
  'Quality',
  'Retail',
  'Shipping',
  'Tax',
  'User',
  'Vendor',
  'Warehouse',
  'Xray',
  'Yield',
  'Zone',
  'Asset',
  'Budget',
  'Campaign',
  'Device',
  'Event',
  'Facility',
  'Grant',
  'Hotel',
  'Insurance',
  'Job',
  'Kitchen',
  'Lab',
  'Media',
  'News',
  'Order',
  'Project',
  'Quote',
  'Route',
  'School',
  'Ticket',
  'Unit',
  'Vehicle',
  'Wallet',
];
const THINGS = [
  'Address',
  'Batch',
  'Contract',
  'Document',
  'Entry',
  'Fee',
  'Gift',
  'Hold',
  'Invoice',
  'Job',
  'Key',
  'Line',
  'Member',
  'Note',
  'Offer',
  'Payment',
  'Query',
  'Record',
  'Schedule',
  'Task',
  'Upload',
  'Visit',
  'Warning',
  'Export',
  'Year',
  'Zip',
  'Alert',
  'Badge',
  'Claim',
  'Draft',
  'Estimate',
  'Form',
  'Goal',
  'Hint',
  'Issue',
  'Journey',
  'Kit',
  'Label',
  'Milestone',
  'Notice',
  'Option',
  'Permit',
  'Queue',
  'Rate',
  'Session',
  'Tag',
  'Usage',
  'Voucher',
  'Window',
  'Profile',
  'Plan',
  'Policy',
  'Price',
  'Product',
  'Rule',
  'Setting',
  'Shift',
  'Slot',
  'Stock',
  'Survey',
  'Team',
  'Term',
  'Token',
  'Transfer',
  'Trip',
  'Review',
  'Role',
  'Report',
  'Refund',
  'Receipt',
  'Period',
  'Pass',
  'Package',
  'Log',
  'Lease',
  'Item',
  'Image',
  'Group',
  'Grade',
  'Credit',
  'Coupon',
  'Comment',
  'Code',
  'Charge',
  'Channel',
  'Card',
  'Cart',
  'Booking',
  'Bill',
  'Attempt',
  'Answer',
  'Agent',
  'Adjustment',
  'Activity',
  'Account',
  'Access',
  'Vote',
  'Version',
  'Venue',
  'Topic',
];
const PATTERNS: Record<string, string> = {
  simple: 'server/entities/customer.js',
  withSubItems: 'server/entities/order.js',
  selfReferencing: 'server/entities/category.js',
  manyToMany: 'server/entities/enrollment.js',
  lookup: 'server/entities/country.js',
  auditTrail: 'server/entities/journal-entry.js',
};
const PATTERN_KINDS = Object.keys(PATTERNS);

export function entityName(i: number): string {
  const domain = DOMAINS[i % DOMAINS.length] as string;
  const thing = THINGS[Math.floor(i / DOMAINS.length) % THINGS.length] as string;
  const generation = Math.floor(i / (DOMAINS.length * THINGS.length));
  return `${domain}${thing}${generation > 0 ? generation + 1 : ''}`;
}

export function makeLargeWorkspace(options: LargeWorkspaceOptions = {}): LargeWorkspace {
  const entityCount = options.entities ?? 10_000;
  const fileCount = options.files ?? 20_000;
  const enumCount = options.enums ?? 400;
  const random = prng(20_260_101);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const base = mkdtempSync(join(tmpdir(), 'orch-bench-large-'));
  const dir = join(base, 'workspace');
  const write = (path: string, content: string): void => {
    writeFileSync(join(dir, path), content);
  };
  mkdirSync(join(dir, '.claude', 'context'), { recursive: true });

  const entityNames = Array.from({ length: entityCount }, (_, i) => entityName(i));
  const enumNames = Array.from(
    { length: enumCount },
    (_, i) => `${DOMAINS[i % DOMAINS.length]}Status${Math.floor(i / DOMAINS.length) + 1}`,
  );

  // Registry: refs to 0–3 earlier entities, 0–2 sub-items, a pattern, some extra sync keys.
  const e: Record<string, unknown> = {};
  entityNames.forEach((name, i) => {
    const refs =
      i === 0
        ? []
        : Array.from({ length: Math.floor(random() * 4) }, () => entityNames[Math.floor(random() * i)] as string);
    const subs = Array.from({ length: Math.floor(random() * 3) }, (_, k) => `${name}${['Line', 'Item', 'Entry'][k]}`);
    const table = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
    e[name] = {
      refs: [...new Set(refs)],
      subs,
      pattern: subs.length > 0 ? 'withSubItems' : pick(PATTERN_KINDS),
      table: `${table}s`,
      module: `server/entities/${table}.js`,
      ...(random() < 0.3 ? { enums: [pick(enumNames)] } : {}),
    };
  });
  const _enums: Record<string, string[]> = {};
  for (const name of enumNames)
    _enums[name] = Array.from({ length: 3 + Math.floor(random() * 6) }, (_, k) => `value_${k + 1}`);
  const registry = JSON.stringify({ _patterns: PATTERNS, _enums, e }, null, 2);
  write('.claude/entity-registry.json', registry);

  // Memory graph in the MCP memory server's JSONL: every entity, its sub-items, relations.
  const layers = ['database', 'backend', 'frontend'];
  const memoryLines: string[] = [];
  entityNames.forEach((name, i) => {
    const entry = e[name] as { refs: string[]; subs: string[]; table: string; module: string; pattern: string };
    const owners =
      random() < 0.5 ? 'Owned by the database, backend and frontend layers' : `Owned by the ${pick(layers)} layer`;
    memoryLines.push(
      JSON.stringify({
        type: 'entity',
        name,
        entityType: 'Entity',
        observations: [
          owners,
          `Table ${entry.table} created in db/migrations/${String(i + 1).padStart(5, '0')}_create_${entry.table}.sql`,
          `Backend module ${entry.module} follows the ${entry.pattern} pattern`,
          ...(entry.refs.length > 0 ? [`References ${entry.refs.join(', ')}`] : []),
        ],
      }),
    );
    for (const sub of entry.subs) {
      memoryLines.push(JSON.stringify({ type: 'relation', from: name, to: sub, relationType: 'has sub-items' }));
    }
    for (const ref of entry.refs)
      memoryLines.push(JSON.stringify({ type: 'relation', from: name, to: ref, relationType: 'references' }));
  });
  for (const name of enumNames.slice(0, 100)) {
    memoryLines.push(
      JSON.stringify({
        type: 'entity',
        name,
        entityType: 'Enum',
        observations: [`Values: ${(_enums[name] ?? []).join(', ')}`],
      }),
    );
  }
  memoryLines.push(
    JSON.stringify({
      type: 'entity',
      name: 'ProjectConventions',
      entityType: 'Convention',
      observations: ['Every entity has a migration, a module and a screen'],
    }),
  );
  const memory = `${memoryLines.join('\n')}\n`;
  write('.claude/memory.jsonl', memory);

  write(
    '.claude/orchestrator.yaml',
    [
      'version: 1',
      'models:',
      '  default: claude-sonnet-5-5',
      '  agents: { review: claude-opus-5-5, spec: claude-opus-5-5 }',
      'layers:',
      '  database: { owns: ["db/**"], validate: ["node -e 0"] }',
      '  backend: { owns: ["server/**"], validate: ["node -e 0"] }',
      '  frontend: { owns: ["web/**"], validate: ["node -e 0"], after: [backend] }',
      'schema: ["db/**"]',
      '',
    ].join('\n'),
  );
  for (const agent of ['spec', 'review', 'diagnose', ...layers])
    write(`.claude/context/${agent}.context.md`, `# ${agent}\n\nConventions for the ${agent} agent.\n`);
  write('.gitignore', 'node_modules/\n.claude/runs/\n');

  // 20,000 small files: {db,server,web}/pkgNN/modNN/fileNNN.js, ~100 per leaf folder.
  const files: string[] = [];
  const roots = ['db', 'server', 'web', 'shared'];
  const perLeaf = 100;
  const leaves = Math.ceil(fileCount / perLeaf);
  for (let leaf = 0; leaf < leaves; leaf++) {
    const root = roots[leaf % roots.length] as string;
    const folder = `${root}/pkg${String(Math.floor(leaf / 10)).padStart(2, '0')}/mod${String(leaf % 10).padStart(2, '0')}`;
    mkdirSync(join(dir, folder), { recursive: true });
    for (let k = 0; k < perLeaf && files.length < fileCount; k++) {
      const path = `${folder}/file${String(k).padStart(3, '0')}.js`;
      const name = entityNames[files.length % entityNames.length] as string;
      write(
        path,
        `// ${name} helper ${files.length}\n'use strict';\n\nmodule.exports = function ${name.charAt(0).toLowerCase()}${name.slice(1)}${k}(input) {\n  return { ...input, id: ${files.length} };\n};\n`,
      );
      files.push(path);
    }
  }

  return {
    dir,
    entityNames,
    files,
    stats: {
      entities: entityCount,
      enums: enumCount,
      memoryLines: memoryLines.length,
      files: files.length,
      registryBytes: Buffer.byteLength(registry),
      memoryBytes: Buffer.byteLength(memory),
    },
    cleanup: () => rmSync(base, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }),
  };
}
