/** Reads a raw SSE response event by event, so a test can see exactly what went over the wire. */
export interface SseRead {
  status: number;
  headers: Headers;
  events: { event: string; data: unknown }[];
  /** Set when the body ended with an error (e.g. the connection was dropped). */
  error?: Error;
}

export async function postAndReadSse(
  url: string,
  body: object,
  headers: Record<string, string> = {},
): Promise<SseRead> {
  const response = await fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'test-key', ...headers },
    body: JSON.stringify({ ...body, stream: true }),
  });
  const result: SseRead = { status: response.status, headers: response.headers, events: [] };
  if (!response.body) return result;
  const decoder = new TextDecoder();
  let buffer = '';
  const take = (): void => {
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(frame)?.[1] ?? 'message';
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      result.events.push({ event, data: data === undefined ? undefined : JSON.parse(data) });
    }
  };
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      take();
    }
  } catch (error) {
    result.error = error instanceof Error ? error : new Error(String(error));
  }
  return result;
}
