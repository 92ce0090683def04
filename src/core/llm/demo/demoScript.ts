/**
 * The demo's scripted model: who is asking (the agent's own system block, "# You are the X
 * SPECIALIST"), at which turn of its task, and what it answers: the spec agent the demo
 * spec, the proof agent REQ-1's tests, each layer its files then "done", the reviewer an
 * approval with every acceptance criterion met. No model, no network: the same answers every time.
 */
import {
  DEMO_FILES,
  DEMO_PROOF_FILE,
  DEMO_PROOF_TEST,
  DEMO_SPEC,
  DEMO_SPEC_SLUG,
  DEMO_SPEC_TITLE,
} from './demoFeature';

type WireBlock = { type: 'text'; text: string } | { type: 'tool_use'; name: string; input: Record<string, unknown> };

/** The parts of a Messages API request the script reads. */
export interface DemoRequest {
  system?: string | { type: string; text?: string }[];
  messages: { role: 'user' | 'assistant'; content: string | { type: string; text?: string }[] }[];
}

const textOf = (content: DemoRequest['messages'][number]['content']): string =>
  typeof content === 'string' ? content : content.map((b) => (b.type === 'text' ? (b.text ?? '') : '')).join('\n');

function agentOf(request: DemoRequest): string | undefined {
  const blocks =
    typeof request.system === 'string' ? [request.system] : (request.system ?? []).map((b) => b.text ?? '');
  const first = request.messages[0];
  if (blocks.length === 0 && first) blocks.push(textOf(first.content));
  for (const text of blocks) {
    const agent = /^# You are the (\S+) SPECIALIST/m.exec(text)?.[1];
    if (agent) return agent.toLowerCase();
  }
  return undefined;
}

/** The task (the last user message opening with a "## " heading) and the assistant turns since. */
function taskOf(request: DemoRequest): { task: string; turn: number } {
  let start = 0;
  request.messages.forEach((m, i) => {
    if (m.role === 'user' && textOf(m.content).startsWith('## ')) start = i;
  });
  const first = request.messages[start];
  return {
    task: first ? textOf(first.content) : '',
    turn: request.messages.slice(start).filter((m) => m.role === 'assistant').length,
  };
}

const tool = (name: string, input: Record<string, unknown>): WireBlock => ({ type: 'tool_use', name, input });

/** The reply's content blocks, or an error message for a request the demo has no answer to. */
export function demoReply(request: DemoRequest): { content: WireBlock[] } | { error: string } {
  const agent = agentOf(request);
  const { task, turn } = taskOf(request);
  if (agent === 'spec')
    return {
      content: [
        { type: 'text', text: 'Writing the spec.' },
        tool('submit_spec', { title: DEMO_SPEC_TITLE, slug: DEMO_SPEC_SLUG, markdown: DEMO_SPEC }),
      ],
    };
  if (agent === 'review') {
    const criteria = [
      ...(task.split('## ACCEPTANCE CRITERIA')[1] ?? '').matchAll(/^- ([A-Z][A-Z0-9]*-\d+\.\d+):/gm),
    ].map((m) => ({ id: m[1], verdict: 'met' }));
    return {
      content: [
        { type: 'text', text: 'Checked each file against the spec.' },
        tool('submit_review', { verdict: 'approved', issues: [], criteria }),
      ],
    };
  }
  if (agent === 'proof') {
    if (turn === 0)
      return {
        content: [
          { type: 'text', text: 'Writing the acceptance tests before the code.' },
          tool('write_file', { path: DEMO_PROOF_FILE, content: DEMO_PROOF_TEST }),
        ],
      };
    return {
      content: [
        tool('submit_proof', {
          tests: [
            {
              criterion: 'REQ-1.1',
              file: DEMO_PROOF_FILE,
              name: 'REQ-1.1 stores a product with a name and a price >= 0 and gives it an id',
            },
            {
              criterion: 'REQ-1.2',
              file: DEMO_PROOF_FILE,
              name: 'REQ-1.2 refuses a blank name or a price that is not a number >= 0',
            },
            {
              criterion: 'REQ-2.1',
              untestable: 'the list is what the screen shows in a browser; the review judges it',
            },
          ],
        }),
      ],
    };
  }
  const files = agent ? DEMO_FILES[agent] : undefined;
  if (!agent || !files)
    return {
      error: `the demo's scripted model has no answer for ${agent ? `the ${agent} agent` : 'this request'}: it only knows the demo feature`,
    };
  if (turn === 0)
    return {
      content: [
        { type: 'text', text: `Writing the ${agent} files.` },
        ...Object.entries(files).map(([path, content]) => tool('write_file', { path, content })),
      ],
    };
  return {
    content: [
      tool('submit_result', { status: 'done', summary: `Wrote ${Object.keys(files).join(', ')} as the spec asks.` }),
    ],
  };
}
