/**
 * A screenshot artifact must be a PNG: strict base64, the 8-byte PNG signature, and a first
 * chunk that is a well-formed IHDR (length 13, sane size, a bit depth its colour type allows,
 * and a CRC that matches). Anything else (a GIF, HTML, text that is not base64) is refused
 * before it is stored, so the sidebar never renders something that only claims to be an image.
 */

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Bit depths each colour type allows (PNG spec, table 11.1). */
const DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };
/** Wider or taller than this is no screenshot (and would be a decompression bomb in the view). */
const MAX_SIDE = 16_384;

/** Why `base64` is not a PNG screenshot; undefined when it is one. */
export function pngProblem(base64: string): string | undefined {
  if (base64.length === 0 || base64.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64))
    return 'a screenshot must be a PNG image in base64 (the content is not base64)';
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length < 33 || !bytes.subarray(0, 8).equals(SIGNATURE))
    return 'a screenshot must be a PNG image in base64 (no PNG signature: another format, or not an image)';
  const length = bytes.readUInt32BE(8);
  const type = bytes.toString('latin1', 12, 16);
  if (length !== 13 || type !== 'IHDR')
    return 'a screenshot must be a PNG image in base64 (its header chunk, IHDR, is missing)';
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  const [depth, colour, compression, filter, interlace] = [bytes[24]!, bytes[25]!, bytes[26]!, bytes[27]!, bytes[28]!];
  if (crc32(bytes.subarray(12, 29)) !== bytes.readUInt32BE(29))
    return 'a screenshot must be a PNG image in base64 (its IHDR checksum does not match)';
  if (width === 0 || height === 0 || width > MAX_SIDE || height > MAX_SIDE)
    return `a screenshot must be at most ${MAX_SIDE}×${MAX_SIDE} pixels (this PNG says ${width}×${height})`;
  if (!DEPTHS[colour]?.includes(depth) || compression !== 0 || filter !== 0 || interlace > 1)
    return 'a screenshot must be a PNG image in base64 (its IHDR header is not valid)';
  return undefined;
}

let table: Uint32Array | undefined;

/** CRC-32 as PNG uses it (zlib's polynomial); Electron's Node may predate zlib.crc32. */
function crc32(data: Uint8Array): number {
  table ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let crc = 0xffffffff;
  for (const byte of data) crc = table[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
