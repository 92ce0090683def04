/** The first bytes of a file as text ('' when it cannot be read): the census reads heads, never whole files. */
import { open } from 'node:fs/promises';

export async function fileHead(path: string, bytes: number): Promise<string> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return '';
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}
