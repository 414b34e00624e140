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
  const le = dv.getUint16(0, true) === 0xeb9f;
  const be = dv.getUint16(0, false) === 0xeb9f;
  // The kernel only accepts native byte order (a BE blob on an LE host is "Invalid magic").
  if (!le && !be) return issue('Invalid magic', 'EINVAL', 0);
  const little = le;
  const hdrLen = dv.getUint32(4, little);
  if (bytes.length < hdrLen) return issue('btf_header not found', 'EINVAL', 4);
  if (hdrLen < HDR) return issue('btf_header not found', 'EINVAL', 4);
  for (let i = HDR; i < hdrLen; i++) if (bytes[i] !== 0) return issue('Unsupported btf_header', 'E2BIG', i);
  if (bytes[2] !== 1) return issue('Unsupported version', 'ENOTSUPP', 2);
  if (bytes[3] !== 0) return issue('Unsupported flags', 'ENOTSUPP', 3);
  if (bytes.length === hdrLen) return issue('No data', 'EINVAL', hdrLen);
  const typeOff = dv.getUint32(8, little);
  const typeLen = dv.getUint32(12, little);
  const strOff = dv.getUint32(16, little);
  const strLen = dv.getUint32(20, little);
  const dataSize = bytes.length - hdrLen;
  // btf_check_sec_info
  const secs = [{ off: typeOff, len: typeLen }, { off: strOff, len: strLen }].sort((a, b) => a.off - b.off);
  let expected = 0;
  let total = 0;
  for (const s of secs) {
    if (s.off < expected) return issue('Section overlap found', 'EINVAL', 8);
    if (expected < s.off) return issue('Unsupported section found', 'EINVAL', 8);
    if (s.off > dataSize || s.len > dataSize - s.off) return issue('Invalid section offset', 'EINVAL', 8);
    total += s.len;
    expected = s.off + s.len;
  }
  if (total > dataSize) return issue('Total section length too long', 'EINVAL', 8);
  if (expected !== dataSize) return issue('Unsupported section found', 'EINVAL', 8);
  // btf_parse_str_sec
  if (strOff + strLen !== dataSize) return issue('String section is not at the end', 'EINVAL', 16);
  const s = hdrLen + strOff;
  if ((!opts.split && !strLen) || (opts.split && !strLen && false) || strLen > 0xffffff + 1 ||
      (strLen > 0 && bytes[s + strLen - 1] !== 0) || (!opts.split && bytes[s] !== 0)) {
    return issue('Invalid string section', 'EINVAL', s);
  }
  // btf_parse_type_sec
  if (typeOff % 4) return issue('Unaligned type_off', 'EINVAL', 8);
  if (!opts.split && !typeLen) return issue('No type found', 'EINVAL', 12);
  return undefined;
}
