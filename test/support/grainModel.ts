/**
 * Writes a `grain.model.json` shaped like the large ones Mustard makes (docs/mustard.md: hundreds
 * of modules with imports, a graph, roles, conventions, projects), padded with modules until it
 * reaches `bytes`. Shared by the reader's test and the bench row.
 */
export function largeGrainModel(bytes: number, root = '/home/dev/shop'): string {
  const projects = [
    { name: 'shop', dir: '', kind: 'cargo', code_files: 4, frameworks: [], dependencies: [] },
    {
      name: 'rt',
      dir: 'apps/rt',
      kind: 'cargo',
      code_files: 420,
      frameworks: ['tokio', 'axum'],
      dependencies: ['serde', 'tokio'],
    },
    {
      name: 'web',
      dir: 'apps/web',
      kind: 'npm',
      code_files: 900,
      frameworks: ['react', 'vite'],
      dependencies: ['react'],
    },
  ];
  const roles = ['Service', 'Props', 'Controller', 'Repository', 'Handler', 'Store'].map((affix, i) => ({
    affix,
    kind: 'suffix',
    count: 40 + i,
    common_dir: i % 2 ? 'apps/web/src/components' : 'apps/rt/src/services',
    dirs: ['apps/rt/src/services', 'apps/web/src/components'],
  }));
  const conventions = [
    { name: 'service-layer', roles: ['Service', 'Repository'], entities: ['Order', 'Customer', 'Invoice'] },
  ];
  const modules: unknown[] = [];
  const edges: unknown[] = [];
  const model = {
    root,
    languages: [
      { language: 'rust', files: 420, loc: 81000 },
      { language: 'typescript', files: 900, loc: 120000 },
    ],
    manifests: [
      {
        path: 'apps/web/package.json',
        kind: 'npm',
        name: 'web',
        dependencies: ['react', 'vite'],
        scripts: ['build', 'lint', 'test'],
      },
    ],
    frameworks: ['react', 'vite', 'axum'],
    skeleton: [
      { dir: 'apps/rt/src', role: 'source', files: 420 },
      { dir: 'apps/web/src', role: 'source', files: 900 },
    ],
    modules,
    graph: { nodes: 0, edges, cyclic: false, top_fan_in: ['apps/web/src/api/client.ts', 'apps/rt/src/lib.rs'] },
    roles,
    conventions,
    coverage: { top_dirs: ['apps'], skipped_build_dirs: ['target', 'node_modules'], unsupported_exts: ['.svg'] },
    projects,
    shared_contracts: [],
    detected_stacks: ['rust', 'react'],
  };
  const add = (n: number) => {
    for (let i = modules.length; i < n; i++) {
      const web = i % 2 === 0;
      const path = web
        ? `apps/web/src/features/f${i % 97}/Thing${i}${roles[i % roles.length]?.affix}.tsx`
        : `apps/rt/src/services/mod_${i}/thing_${i}_service.rs`;
      modules.push({
        path,
        language: web ? 'typescript' : 'rust',
        loc: 50 + (i % 400),
        imports: [
          'apps/web/src/api/client.ts',
          `apps/web/src/features/f${(i + 1) % 97}/index.ts`,
          'apps/rt/src/lib.rs',
        ],
      });
      edges.push([path, 'apps/web/src/api/client.ts']);
    }
  };
  // Measure what 1,000 modules weigh as written (indented, like Mustard writes it), then add
  // as many as the size needs.
  const base = print(model).length;
  add(1000);
  const perModule = (print(model).length - base) / 1000;
  add(Math.ceil((bytes - base) / perModule));
  model.graph.nodes = modules.length;
  return print(model);
}

const print = (value: unknown): string => JSON.stringify(value, null, 2);
