/**
 * MCP over stdio with every line bounded. The SDK's own transport closes itself when a line
 * passes 10 MB, and the process then ends with exit 0 and no word; here an oversized line is
 * skipped to its end and answered with an error naming the limit (and the request's id when it
 * can be found), and so is a line that is not JSON or nests too deeply. The server keeps serving.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import {
  errorResponse,
  INVALID_REQUEST,
  MAX_MESSAGE_BYTES,
  PARSE_ERROR,
  requestIdOf,
  TOO_DEEP,
  TOO_LARGE,
  tooDeep,
} from './limits';

/** Bytes of an oversized line kept at each end, to find its id. */
const KEPT = 4096;

export class BoundedStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private chunks: Buffer[] = [];
  private size = 0;
  /** Set while skipping an oversized line: its first and (rolling) last bytes. */
  private oversized: { head: Buffer; tail: Buffer } | undefined;

  constructor(
    private readonly input: NodeJS.ReadableStream = process.stdin,
    private readonly output: NodeJS.WritableStream = process.stdout,
    private readonly maxBytes = MAX_MESSAGE_BYTES,
  ) {}

  private readonly onData = (chunk: Buffer) => {
    let rest = chunk;
    for (;;) {
      const newline = rest.indexOf(0x0a);
      const piece = newline === -1 ? rest : rest.subarray(0, newline);
      this.take(piece);
      if (newline === -1) return;
      this.endLine();
      rest = rest.subarray(newline + 1);
    }
  };

  private readonly onError = (error: Error) => this.onerror?.(error);

  async start(): Promise<void> {
    this.input.on('data', this.onData);
    this.input.on('error', this.onError);
  }

  private take(piece: Buffer): void {
    if (this.oversized) {
      this.oversized.tail = Buffer.concat([this.oversized.tail, piece]).subarray(-KEPT);
      return;
    }
    if (this.size + piece.length <= this.maxBytes) {
      this.chunks.push(piece);
      this.size += piece.length;
      return;
    }
    const all = Buffer.concat([...this.chunks, piece]);
    this.oversized = { head: all.subarray(0, KEPT), tail: all.subarray(-KEPT) };
    this.chunks = [];
    this.size = 0;
  }

  private endLine(): void {
    if (this.oversized) {
      const { head, tail } = this.oversized;
      this.oversized = undefined;
      return this.reply(requestIdOf(head.toString('utf8'), tail.toString('utf8')), INVALID_REQUEST, TOO_LARGE);
    }
    const line = Buffer.concat(this.chunks).toString('utf8').replace(/\r$/, '');
    this.chunks = [];
    this.size = 0;
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      return this.reply(null, PARSE_ERROR, `the message is not JSON: ${(error as Error).message}`);
    }
    const id =
      typeof json === 'object' &&
      json !== null &&
      'id' in json &&
      (typeof json.id === 'string' || typeof json.id === 'number')
        ? json.id
        : null;
    if (tooDeep(json)) return this.reply(id, INVALID_REQUEST, TOO_DEEP);
    const message = JSONRPCMessageSchema.safeParse(json);
    if (!message.success)
      return this.reply(id, INVALID_REQUEST, 'the message is not a JSON-RPC 2.0 request, notification or response');
    this.onmessage?.(message.data);
  }

  private reply(id: string | number | null, code: number, message: string): void {
    this.output.write(`${JSON.stringify(errorResponse(id, code, message))}\n`);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const line = `${JSON.stringify(message)}\n`;
    if (!this.output.write(line)) await new Promise<void>((resolve) => this.output.once('drain', () => resolve()));
  }

  async close(): Promise<void> {
    this.input.off('data', this.onData);
    this.input.off('error', this.onError);
    this.chunks = [];
    this.onclose?.();
  }
}
