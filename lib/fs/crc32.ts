/**
 * CRC-32 (IEEE 802.3, the zlib/PNG polynomial 0xEDB88320, reflected), table-driven with
 * slicing-by-8 (eight bytes per step: a paper-sized checkpoint is ≈ 370 MB and is checked on
 * every write and read). Our own because node:zlib's crc32 only exists from Node 22.2 and the
 * project runs on Node ≥ 20.19. Used for the checkpoint sections (engine/checkpoint.ts): it
 * catches flipped or torn bytes, it is not a defence against someone who edits the file on purpose.
 */
const TABLES = (() => {
  const tables = Array.from({ length: 8 }, () => new Int32Array(256));
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    tables[0][n] = c;
  }
  // tables[k][n]: the CRC of byte n followed by k zero bytes.
  for (let n = 0; n < 256; n++) {
    for (let k = 1; k < 8; k++) tables[k][n] = (tables[k - 1][n] >>> 8) ^ tables[0][tables[k - 1][n] & 0xff];
  }
  return tables;
})();
const [T0, T1, T2, T3, T4, T5, T6, T7] = TABLES;

/** Continues a CRC over more bytes: crc32(b, crc32(a)) === crc32(a ++ b). Start with 0. */
export function crc32(bytes: Uint8Array, previous = 0): number {
  let c = ~previous;
  const whole = bytes.length - (bytes.length % 8);
  let i = 0;
  for (; i < whole; i += 8) {
    const lo = (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)) ^ c;
    const hi = bytes[i + 4] | (bytes[i + 5] << 8) | (bytes[i + 6] << 16) | (bytes[i + 7] << 24);
    c =
      T7[lo & 0xff] ^
      T6[(lo >>> 8) & 0xff] ^
      T5[(lo >>> 16) & 0xff] ^
      T4[lo >>> 24] ^
      T3[hi & 0xff] ^
      T2[(hi >>> 8) & 0xff] ^
      T1[(hi >>> 16) & 0xff] ^
      T0[hi >>> 24];
  }
  for (; i < bytes.length; i++) c = T0[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
