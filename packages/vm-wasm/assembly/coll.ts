// The single import point of @bpfkit/collections (AS source).
export {
  objInit, objInitFields, objDrop, objFreeFields, refcountAcquire, listPush, listPop, listPeek,
  rbAdd, rbRemove, rbFirst, rbRoot, rbLeft, rbRight,
  rbAddBegin, rbAddNext, rbAddResult, rbAbortAdd, RB_CURSOR_SIZE, corruptAddr, clearCorrupt,
} from '../../collections/assembly/index';
