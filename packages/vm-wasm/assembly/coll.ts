// The single import point of @bpfkit/collections (AS source).
export {
  objInit, objInitFields, objDrop, objFreeFields, refcountAcquire, listPush, listPop, listPeek,
  rbAdd, rbRemove, rbFirst, rbRoot, rbLeft, rbRight,
} from '../../collections/assembly/index';
