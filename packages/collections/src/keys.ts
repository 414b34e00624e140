/**
 * Key extraction: read a scalar member of an element object by name, given its BTF type,
 * so tools can print the keys of list and tree elements.
 */
import { findMember, skipModsAndTypedefs, type Btf } from '@bpfkit/btf';
import { CollectionsError } from './errors.js';
import { checkRange } from './records.js';

export type MemberValue = number | bigint | boolean;
export type MemberReader = (view: DataView, objAddr: number) => MemberValue;

/**
 * A reader of member `path` (dotted for nested structs: `a.b`) of struct `typeId`.
 * Integers of 1, 2 and 4 bytes and enums come back as numbers, 8-byte integers, enums
 * and pointers as bigints, `bool` as a boolean.
 */
export function memberReader(btf: Btf, typeId: number, path: string): MemberReader {
  let offset = 0;
  let cur = typeId;
  for (const part of path.split('.')) {
    const loc = findMember(btf, cur, part);
    if (!loc) throw new CollectionsError('BAD_MEMBER', `no member '${part}' in type ${typeId}`, { what: path });
    if (loc.bitsOffset % 8 !== 0 || loc.member.bitfieldSize) {
      throw new CollectionsError('BAD_MEMBER', `member '${part}' is a bitfield`, { what: path });
    }
    offset += loc.bitsOffset / 8;
    cur = loc.member.type;
  }
  const t = btf.type(skipModsAndTypedefs(btf, cur));
  let size: number;
  let signed = false;
  let bool = false;
  switch (t.kind) {
    case 'INT':
      size = t.size;
      signed = (t.encoding & 1) !== 0;
      bool = (t.encoding & 4) !== 0;
      if (t.bitsOffset !== 0 || t.nrBits !== size * 8) throw new CollectionsError('BAD_MEMBER', 'bitfield-style int', { what: path });
      break;
    case 'ENUM':
    case 'ENUM64':
      size = t.size;
      signed = t.kindFlag;
      break;
    case 'PTR':
      size = 8;
      break;
    default:
      throw new CollectionsError('BAD_MEMBER', `member is a ${t.kind}, not a scalar`, { what: path });
  }
  if (![1, 2, 4, 8].includes(size)) throw new CollectionsError('BAD_MEMBER', `${size}-byte scalar`, { what: path });
  const off = offset;
  return (view, objAddr) => {
    const a = objAddr + off;
    checkRange(view, a, size, path);
    let v: MemberValue;
    switch (size) {
      case 1: v = signed ? view.getInt8(a) : view.getUint8(a); break;
      case 2: v = signed ? view.getInt16(a, true) : view.getUint16(a, true); break;
      case 4: v = signed ? view.getInt32(a, true) : view.getUint32(a, true); break;
      default: v = signed ? view.getBigInt64(a, true) : view.getBigUint64(a, true); break;
    }
    return bool ? v !== 0 && v !== 0n : v;
  };
}

/** One-shot `memberReader(btf, typeId, path)(view, objAddr)`. */
export function readMember(view: DataView, btf: Btf, typeId: number, objAddr: number, path: string): MemberValue {
  return memberReader(btf, typeId, path)(view, objAddr);
}
