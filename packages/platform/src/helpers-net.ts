/**
 * Networking helper prototypes (net/core/filter.c), from memory of the kernel
 * source — none of these are in verifier-core.md §11.5. See helpers.ts.
 */
import { A, def } from './helper-dsl.js';
import type { HelperProto } from './types.js';

const CP = { changesPkt: true } as const;

export const NET_HELPERS: readonly HelperProto[] = [
  def(9, 'RET_INTEGER', [A.ctx, A.any, A.memIn, A.size, A.any], CP), // skb_store_bytes
  def(10, 'RET_INTEGER', [A.ctx, A.any, A.any, A.any, A.any], CP), // l3_csum_replace
  def(11, 'RET_INTEGER', [A.ctx, A.any, A.any, A.any, A.any], CP), // l4_csum_replace
  def(13, 'RET_INTEGER', [A.ctx, A.any, A.any], CP), // clone_redirect
  def(17, 'RET_INTEGER', [A.ctx]), // get_cgroup_classid
  def(18, 'RET_INTEGER', [A.ctx, A.any, A.any], CP), // skb_vlan_push
  def(19, 'RET_INTEGER', [A.ctx], CP), // skb_vlan_pop
  def(20, 'RET_INTEGER', [A.ctx, A.memOut, A.size, A.any]), // skb_get_tunnel_key
  def(21, 'RET_INTEGER', [A.ctx, A.memIn, A.size, A.any]), // skb_set_tunnel_key
  def(23, 'RET_INTEGER', [A.any, A.any]), // redirect
  def(24, 'RET_INTEGER', [A.ctx]), // get_route_realm
  def(26, 'RET_INTEGER', [A.ctx, A.any, A.memOut, A.size]), // skb_load_bytes
  def(28, 'RET_INTEGER', [A.memInOrNull, A.sizeOrZero, A.memInOrNull, A.sizeOrZero, A.any], { pkt: true }), // csum_diff
  def(29, 'RET_INTEGER', [A.ctx, A.memOut, A.size]), // skb_get_tunnel_opt
  def(30, 'RET_INTEGER', [A.ctx, A.memIn, A.size]), // skb_set_tunnel_opt
  def(31, 'RET_INTEGER', [A.ctx, A.any, A.any], CP), // skb_change_proto
  def(32, 'RET_INTEGER', [A.ctx, A.any]), // skb_change_type
  def(33, 'RET_INTEGER', [A.ctx, A.map, A.any]), // skb_under_cgroup
  def(34, 'RET_INTEGER', [A.ctx]), // get_hash_recalc
  def(38, 'RET_INTEGER', [A.ctx, A.any, A.any], CP), // skb_change_tail
  def(39, 'RET_INTEGER', [A.ctx, A.any], CP), // skb_pull_data
  def(40, 'RET_INTEGER', [A.ctx, A.any]), // csum_update
  def(41, 'RET_VOID', [A.ctx]), // set_hash_invalid
  def(43, 'RET_INTEGER', [A.ctx, A.any, A.any], CP), // skb_change_head
  def(44, 'RET_INTEGER', [A.ctx, A.any], CP), // xdp_adjust_head
  def(46, 'RET_INTEGER', [A.ctx]), // get_socket_cookie
  def(47, 'RET_INTEGER', [A.ctx]), // get_socket_uid
  def(48, 'RET_INTEGER', [A.ctx, A.any]), // set_hash
  def(50, 'RET_INTEGER', [A.ctx, A.any, A.any, A.any], CP), // skb_adjust_room
  def(51, 'RET_INTEGER', [A.map, A.any, A.any]), // redirect_map
  def(52, 'RET_INTEGER', [A.ctx, A.map, A.any, A.any]), // sk_redirect_map
  def(54, 'RET_INTEGER', [A.ctx, A.any], CP), // xdp_adjust_meta
  def(65, 'RET_INTEGER', [A.ctx, A.any], CP), // xdp_adjust_tail
  def(68, 'RET_INTEGER', [A.ctx, A.any, A.memOut, A.size, A.any]), // skb_load_bytes_relative
  def(69, 'RET_INTEGER', [A.ctx, A.mem, A.size, A.any], { gpl: true }), // fib_lookup
  def(72, 'RET_INTEGER', [A.ctx, A.map, A.key, A.any]), // sk_redirect_hash
  def(79, 'RET_INTEGER', [A.ctx]), // skb_cgroup_id
  def(83, 'RET_INTEGER', [A.ctx, A.any]), // skb_ancestor_cgroup_id
  def(84, 'RET_PTR_TO_SOCKET_OR_NULL', [A.ctx, A.memIn, A.size, A.any, A.any], { pkt: true, acquires: true }), // sk_lookup_tcp
  def(85, 'RET_PTR_TO_SOCKET_OR_NULL', [A.ctx, A.memIn, A.size, A.any, A.any], { pkt: true, acquires: true }), // sk_lookup_udp
  def(86, 'RET_INTEGER', [A.btfSockCommonRelease], { releases: 1 }), // sk_release
  def(95, 'RET_PTR_TO_SOCKET_OR_NULL', [A.sockCommon]), // sk_fullsock
  def(96, 'RET_PTR_TO_TCP_SOCK_OR_NULL', [A.sockCommon]), // tcp_sock
  def(97, 'RET_INTEGER', [A.ctx]), // skb_ecn_set_ce
  def(98, 'RET_PTR_TO_SOCKET_OR_NULL', [A.sockCommon]), // get_listener_sock
  def(99, 'RET_PTR_TO_SOCK_COMMON_OR_NULL', [A.ctx, A.memIn, A.size, A.any, A.any], { pkt: true, acquires: true }), // skc_lookup_tcp
  def(135, 'RET_INTEGER', [A.ctx, A.any]), // csum_level
  def(136, 'RET_PTR_TO_BTF_ID_OR_NULL', [A.btfSockCommon], { retBtfType: 'tcp6_sock' }), // skc_to_tcp6_sock
  def(137, 'RET_PTR_TO_BTF_ID_OR_NULL', [A.btfSockCommon], { retBtfType: 'tcp_sock' }), // skc_to_tcp_sock
  def(138, 'RET_PTR_TO_BTF_ID_OR_NULL', [A.btfSockCommon], { retBtfType: 'tcp_timewait_sock' }), // skc_to_tcp_timewait_sock
  def(139, 'RET_PTR_TO_BTF_ID_OR_NULL', [A.btfSockCommon], { retBtfType: 'tcp_request_sock' }), // skc_to_tcp_request_sock
  def(140, 'RET_PTR_TO_BTF_ID_OR_NULL', [A.btfSockCommon], { retBtfType: 'udp6_sock' }), // skc_to_udp6_sock
  def(178, 'RET_PTR_TO_BTF_ID_OR_NULL', [A.btfSockCommon], { retBtfType: 'unix_sock' }), // skc_to_unix_sock
  def(196, 'RET_PTR_TO_BTF_ID_OR_NULL', [A.btfSockCommon], { retBtfType: 'mptcp_sock' }), // skc_to_mptcp_sock
  def(151, 'RET_INTEGER', [A.ctx]), // skb_cgroup_classid
  def(152, 'RET_INTEGER', [A.any, A.memInOrNull, A.sizeOrZero, A.any]), // redirect_neigh
  def(155, 'RET_INTEGER', [A.any, A.any]), // redirect_peer
  def(188, 'RET_INTEGER', [A.ctx]), // xdp_get_buff_len
  def(189, 'RET_INTEGER', [A.ctx, A.any, A.memOut, A.size]), // xdp_load_bytes
  def(190, 'RET_INTEGER', [A.ctx, A.any, A.memIn, A.size]), // xdp_store_bytes
  def(192, 'RET_INTEGER', [A.ctx, A.any, A.any]), // skb_set_tstamp
];
