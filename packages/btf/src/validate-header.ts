/**
 * The kernel's header / section-layout / string-section checks (`btf_parse_hdr`,
 * `btf_check_sec_info`, `btf_parse_str_sec`) with its exact log messages. These run
 * on raw bytes, before any type is decoded.
 */
import type { BtfIssue } from './validate.js';

const HDR = 24;
export const BTF_MAX_SIZE = 16 * 1024 * 1024;

function issue(message: string, errno = 'EINVAL', offset?: number): BtfIssue {
  return { stage: 'header', message, errno, typeId: undefined, offset, line: message };
}

/** First header-level problem the kernel would log, or undefined when the blob passes. */
export function checkBtfHeader(bytes: Uint8Array, opts: { split?: boolean } = {}): BtfIssue | undefined {
  if (bytes.length > BTF_MAX_SIZE) return issue('btf too big', 'E2BIG');
  if (bytes.length < 8) return issue('hdr_len not found', 'EINVAL', 0);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The kernel only accepts its native byte order; we accept both (a BE blob is what a
  // BE kernel would see) and check the rest in the blob's own order.
  const little = dv.getUint16(0, true) === 0xeb9f || dv.getUint16(0, false) !== 0xeb9f;
  const hdrLen = dv.getUint32(4, little);
  if (bytes.length < hdrLen) return issue('btf_header not found', 'EINVAL', 4);
  for (let i = HDR; i < hdrLen; i++) if (bytes[i] !== 0) return issue('Unsupported btf_header', 'E2BIG', i);
  // The kernel copies only min(hdr_len, 24) header bytes: a tiny hdr_len loses the magic.
  if (hdrLen < 2 || dv.getUint16(0, little) !== 0xeb9f) return issue('Invalid magic', 'EINVAL', 0);
  // Fields beyond a short hdr_len read as zero (the kernel copies min(hdr_len, 24) bytes).
  const field = (off: number): number => (off + 4 <= hdrLen && off + 4 <= bytes.length ? dv.getUint32(off, little) : 0);
  const version = hdrLen > 2 ? bytes[2] : 0;
  const flags = hdrLen > 3 ? bytes[3] : 0;
  if (version !== 1) return issue('Unsupported version', 'ENOTSUPP', 2);
  if (flags !== 0) return issue('Unsupported flags', 'ENOTSUPP', 3);
  if (!opts.split && bytes.length === hdrLen) return issue('No data', 'EINVAL', hdrLen);
  const typeOff = field(8);
  const typeLen = field(12);
  const strOff = field(16);
  const strLen = field(20);
  // btf_check_sec_info: sections sorted by offset (then length) must tile the data. The
  // kernel's comparator returns the u32 difference cast to int; replicate its wrap-around.
  const secs = [{ off: typeOff, len: typeLen }, { off: strOff, len: strLen }]
    .sort((a, b) => ((a.off - b.off) | 0) || ((a.len - b.len) | 0));
  const expectedTotal = bytes.length - hdrLen;
  let total = 0;
  for (const s of secs) {
    if (expectedTotal < s.off) return issue('Invalid section offset', 'EINVAL', 8);
    if (total < s.off) return issue('Unsupported section found', 'EINVAL', 8);
    if (total > s.off) return issue('Section overlap found', 'EINVAL', 8);
    if (expectedTotal - total < s.len) return issue('Total section length too long', 'EINVAL', 8);
    total += s.len;
  }
  if (expectedTotal !== total) return issue('Unsupported section found', 'EINVAL', 8);
  // btf_parse_str_sec
  if (strOff + strLen !== expectedTotal) return issue('String section is not at the end', 'EINVAL', 16);
  const s = hdrLen + strOff;
  if (!(opts.split && !strLen)) {
    if (!strLen || strLen - 1 > 0xffffff || bytes[s + strLen - 1] !== 0) return issue('Invalid string section', 'EINVAL', s);
    if (!opts.split && bytes[s] !== 0) return issue('Invalid string section', 'EINVAL', s);
  }
  // btf_parse_type_sec
  if (typeOff & 3) return issue('Unaligned type_off', 'EINVAL', 8);
  if (!opts.split && !typeLen) return issue('No type found', 'EINVAL', 12);
  return undefined;
}
