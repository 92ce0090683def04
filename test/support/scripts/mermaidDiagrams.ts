// One diagram of each type Mermaid knows, written as people write them in design documents, and
// broken ones of the types whose renderers the Mermaid room leaves out (cytoscape, ELK, KaTeX,
// d3-sankey, dagre: scripts/mermaidParseOnly.mjs).
const fence = '```';

export const DIAGRAMS: Record<string, string> = {
  flowchart: 'flowchart LR\n  A[Cart] -->|checkout| B{Paid?}\n  B -->|yes| C[Ship]\n  B -->|no| D[Retry]',
  flowchartElk: '---\nconfig:\n  layout: elk\n---\nflowchart TD\n  A --> B\n  B --> C',
  flowchartMath: 'flowchart LR\n  A["$$x^2 + y^2$$"] --> B["$$\\sqrt{z}$$"]',
  sequence: 'sequenceDiagram\n  participant C as Client\n  C->>API: POST /orders\n  API-->>C: 201 Created',
  class: 'classDiagram\n  class Order {\n    +String id\n    +total() Number\n  }\n  Order "1" --> "*" Line',
  state: 'stateDiagram-v2\n  [*] --> Pending\n  Pending --> Paid: pay\n  Paid --> [*]',
  er: 'erDiagram\n  CUSTOMER ||--o{ ORDER : places\n  ORDER {\n    string id PK\n  }',
  gantt: 'gantt\n  title Release\n  dateFormat YYYY-MM-DD\n  section Build\n  Code :a1, 2026-01-01, 3d',
  pie: 'pie title Cost\n  "API" : 40\n  "DB" : 60',
  journey: 'journey\n  title Checkout\n  section Pay\n    Enter card: 3: Client',
  gitGraph: 'gitGraph\n  commit\n  branch feature\n  commit\n  checkout main\n  merge feature',
  mindmap: 'mindmap\n  root((Orders))\n    Payments\n    Shipping',
  timeline: 'timeline\n  title Releases\n  2025 : v1\n  2026 : v2',
  quadrant: 'quadrantChart\n  x-axis Low --> High\n  y-axis Low --> High\n  A: [0.3, 0.6]',
  requirement:
    'requirementDiagram\n  requirement pay {\n    id: 1\n    text: the client pays\n    risk: high\n    verifymethod: test\n  }',
  c4: 'C4Context\n  Person(client, "Client")\n  System(shop, "Shop")\n  Rel(client, shop, "Uses")',
  sankey: 'sankey-beta\nAPI,DB,10\nAPI,Cache,5',
  xychart: 'xychart-beta\n  x-axis [jan, feb]\n  y-axis "Orders" 0 --> 100\n  bar [40, 60]',
  block: 'block-beta\n  columns 2\n  a["API"] b["DB"]\n  a --> b',
  packet: 'packet-beta\n  0-15: "Source port"\n  16-31: "Destination port"',
  architecture:
    'architecture-beta\n  group api(cloud)[API]\n  service db(database)[Database] in api\n  service server(server)[Server] in api\n  db:L -- R:server',
  kanban: 'kanban\n  Todo\n    [Write the spec]\n  Done\n    [Ship it]',
  radar: 'radar-beta\n  axis a, b, c\n  curve x{1, 2, 3}',
  treemap: 'treemap-beta\n"Costs"\n    "API": 40\n    "DB": 60',
};

/** Broken diagrams (each names the line of the diagram the parser points at). */
export const BROKEN: Record<string, string> = {
  flowchart: 'flowchart LR\n  A --> B\n  B -->> C -->',
  sequence: 'sequenceDiagram\n  participant C\n  C->>: no target',
  architecture: 'architecture-beta\n  service db(database)[Database]\n  db:Q -- R:server',
  mindmap: 'mindmap\n  root((Orders))\n    a\n  b\n c',
  sankey: 'sankey-beta\nAPI,DB',
  state: 'stateDiagram-v2\n  [*] --> A\n  state B {\n    C --> D',
};

/** A Markdown document holding these diagrams, each under its own heading. */
export function documentOf(diagrams: Record<string, string>): string {
  return Object.entries(diagrams)
    .map(([name, text]) => `## ${name}\n\n${fence}mermaid\n${text}\n${fence}\n`)
    .join('\n');
}
