/**
 * CRC-32 (IEEE 802.3, the zlib/PNG polynomial 0xEDB88320, reflected), table-driven. Our own
 * because node:zlib's crc32 only exists from Node 22.2 and the project runs on Node ≥ 20.19.
 * Used for the checkpoint sections (engine/checkpoint.ts): it catches flipped or torn bytes,
 * it is not a defence against someone who edits the file on purpose.
 */
const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** Continues a CRC over more bytes: crc32(b, crc32(a)) === crc32(a ++ b). Start with 0. */
export function crc32(bytes: Uint8Array, previous = 0): number {
  let c = ~previous >>> 0;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
