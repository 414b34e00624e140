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
  def(196, 'RET_PTR_TO_BTF_ID_OR_NULL', [A.sockCommon], { retBtfType: 'mptcp_sock' }), // skc_to_mptcp_sock
  def(151, 'RET_INTEGER', [A.ctx]), // skb_cgroup_classid
  def(152, 'RET_INTEGER', [A.any, A.memInOrNull, A.sizeOrZero, A.any]), // redirect_neigh
  def(155, 'RET_INTEGER', [A.any, A.any]), // redirect_peer
  def(188, 'RET_INTEGER', [A.ctx]), // xdp_get_buff_len
  def(189, 'RET_INTEGER', [A.ctx, A.any, A.memOut, A.size]), // xdp_load_bytes
  def(190, 'RET_INTEGER', [A.ctx, A.any, A.memIn, A.size]), // xdp_store_bytes
  def(192, 'RET_INTEGER', [A.ctx, A.any, A.any]), // skb_set_tstamp
  def(66, 'RET_INTEGER', [A.ctx, A.any, A.memOut, A.size, A.any]), // skb_get_xfrm_state
  def(163, 'RET_INTEGER', [A.ctx, A.any, A.fixedOut(4), A.any, A.any], { gpl: true }), // check_mtu
  def(124, 'RET_INTEGER', [A.ctx, A.btfSockCommon, A.any]), // sk_assign
  def(122, 'RET_INTEGER', [A.ctxOrNull]), // get_netns_cookie
  def(128, 'RET_INTEGER', [A.btfSockCommon]), // sk_cgroup_id (128)
  def(129, 'RET_INTEGER', [A.btfSockCommon, A.any]), // sk_ancestor_cgroup_id
  def(107, 'RET_PTR_TO_MAP_VALUE_OR_NULL', [A.map, A.btfSockCommon, A.valueOrNull, A.any]), // sk_storage_get
  def(108, 'RET_INTEGER', [A.map, A.btfSockCommon]), // sk_storage_delete
  // syncookies
  def(100, 'RET_INTEGER', [A.btfSockCommon, A.memIn, A.size, A.memIn, A.size], { gpl: true, pkt: true }), // tcp_check_syncookie
  def(110, 'RET_INTEGER', [A.btfSockCommon, A.memIn, A.size, A.memIn, A.size], { gpl: true, pkt: true }), // tcp_gen_syncookie
  def(204, 'RET_INTEGER', [A.fixedIn(20), A.memIn, A.size], { gpl: true, pkt: true }), // tcp_raw_gen_syncookie_ipv4
  def(205, 'RET_INTEGER', [A.fixedIn(40), A.memIn, A.size], { gpl: true, pkt: true }), // tcp_raw_gen_syncookie_ipv6
  def(206, 'RET_INTEGER', [A.fixedIn(20), A.fixedIn(20)], { gpl: true, pkt: true }), // tcp_raw_check_syncookie_ipv4
  def(207, 'RET_INTEGER', [A.fixedIn(40), A.fixedIn(20)], { gpl: true, pkt: true }), // tcp_raw_check_syncookie_ipv6
  // sock_ops
  def(49, 'RET_INTEGER', [A.ctx, A.any, A.any, A.memIn, A.size]), // setsockopt
  def(57, 'RET_INTEGER', [A.ctx, A.any, A.any, A.memOut, A.size]), // getsockopt
  def(53, 'RET_INTEGER', [A.ctx, A.map, A.key, A.any]), // sock_map_update
  def(70, 'RET_INTEGER', [A.ctx, A.map, A.key, A.any]), // sock_hash_update
  def(59, 'RET_INTEGER', [A.ctx, A.any]), // sock_ops_cb_flags_set
  def(142, 'RET_INTEGER', [A.ctx, A.memWrite, A.size, A.any]), // load_hdr_opt
  def(143, 'RET_INTEGER', [A.ctx, A.memIn, A.size, A.any]), // store_hdr_opt
  def(144, 'RET_INTEGER', [A.ctx, A.any, A.any]), // reserve_hdr_opt
  // sk_msg
  def(60, 'RET_INTEGER', [A.ctx, A.map, A.any, A.any]), // msg_redirect_map
  def(71, 'RET_INTEGER', [A.ctx, A.map, A.key, A.any]), // msg_redirect_hash
  def(61, 'RET_INTEGER', [A.ctx, A.any]), // msg_apply_bytes
  def(62, 'RET_INTEGER', [A.ctx, A.any]), // msg_cork_bytes
  def(63, 'RET_INTEGER', [A.ctx, A.any, A.any, A.any], CP), // msg_pull_data
  def(90, 'RET_INTEGER', [A.ctx, A.any, A.any, A.any], CP), // msg_push_data
  def(91, 'RET_INTEGER', [A.ctx, A.any, A.any, A.any], CP), // msg_pop_data
  // cgroup_sock_addr, sk_reuseport
  def(64, 'RET_INTEGER', [A.ctx, A.memIn, A.size]), // bind
  def(82, 'RET_INTEGER', [A.ctx, A.map, A.key, A.any]), // sk_select_reuseport
  // lwt and seg6
  def(73, 'RET_INTEGER', [A.ctx, A.any, A.memIn, A.size], CP), // lwt_push_encap
  def(74, 'RET_INTEGER', [A.ctx, A.any, A.memIn, A.size], CP), // lwt_seg6_store_bytes
  def(75, 'RET_INTEGER', [A.ctx, A.any, A.any], CP), // lwt_seg6_adjust_srh
  def(76, 'RET_INTEGER', [A.ctx, A.any, A.memIn, A.size], CP), // lwt_seg6_action
  // cgroup_sysctl
  def(101, 'RET_INTEGER', [A.ctx, A.memOut, A.size, A.any]), // sysctl_get_name
  def(102, 'RET_INTEGER', [A.ctx, A.memOut, A.size]), // sysctl_get_current_value
  def(103, 'RET_INTEGER', [A.ctx, A.memOut, A.size]), // sysctl_get_new_value
  def(104, 'RET_INTEGER', [A.ctx, A.memIn, A.size]), // sysctl_set_new_value
];
