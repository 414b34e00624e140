/**
 * Socket pointer field rules (`bpf_sock_is_valid_access` and friends, Linux
 * 6.18 net/core/filter.c) for `sock`, `sock_common`, `tcp_sock`, `xdp_sock`.
 */
import { T } from '../types.js';

/** `bpf_ctx_narrow_access_ok`. */
const narrowOk = (_off: number, size: number, fieldSize: number): boolean => size <= fieldSize && (size & (size - 1)) === 0;

const SOCK_SIZE = 80;
const inRange = (off: number, lo: number, hi: number): boolean => off >= lo && off <= hi;

function sockValid(off: number, size: number): boolean {
  if (off < 0 || off >= SOCK_SIZE) return false;
  if (off % size !== 0) return false;
  // state, family, type, protocol, src_port, rx_queue_mapping, src_ip4, src_ip6, dst_ip4, dst_ip6: narrow 4-byte fields
  if (off === 72 || off === 4 || off === 8 || off === 12 || off === 44 || off === 76 || inRange(off, 24, 27) || inRange(off, 28, 43) ||
    inRange(off, 52, 55) || inRange(off, 56, 71)) {
    return narrowOk(off, size, 4);
  }
  if (inRange(off, 48, 49)) return narrowOk(off, size, size === 4 ? 4 : 2);
  if (inRange(off, 50, 51)) return false;
  return size === 4;
}

function sockCommonValid(off: number, size: number): boolean {
  if (inRange(off, 8, 23)) return false; // type .. priority
  return sockValid(off, size);
}

function tcpSockValid(off: number, size: number): boolean {
  if (off < 0 || off >= 112) return false;
  if (off % size !== 0) return false;
  if (off === 80 || off === 88) return size === 8;
  return size === 4;
}

function xdpSockValid(off: number, size: number): boolean {
  if (off < 0 || off >= 4) return false;
  if (off % size !== 0) return false;
  return off === 0 && size === 4;
}

/** Whether a read of `size` bytes at `off` through a socket pointer of `type` is allowed. */
export function sockAccessValid(type: number, off: number, size: number): boolean {
  switch (type) {
    case T.PTR_TO_SOCK_COMMON:
      return sockCommonValid(off, size);
    case T.PTR_TO_SOCKET:
      return sockValid(off, size);
    case T.PTR_TO_TCP_SOCK:
      return tcpSockValid(off, size);
    case T.PTR_TO_XDP_SOCK:
      return xdpSockValid(off, size);
    default:
      return false;
  }
}
