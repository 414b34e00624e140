export { CollectionsError, type CollectionsErrorCode, type CollectionsErrorLocation } from './errors.js';
export {
  FieldKind, FIELD_KIND_NAMES, FIELD_SIZES, NO_OFFSET, RECORD_HEADER_SIZE, RECORD_FIELD_SIZE, MAX_DECODED_FIELDS,
  planRecords, layoutRecords, encodeRecords, encodeRecordsAt, decodeRecord,
  type FieldKindValue, type RecordRequest, type PlannedField, type PlannedRecord, type RecordPlan, type PlanOptions,
  type DecodedField, type DecodedRecord,
} from './records.js';
export {
  readList, readListNodes, readTree, rbViolations, readGraph,
  type GraphRootInfo, type ReadOptions, type RbColor, type TreeNode, type TreeRead,
  type GraphField, type GraphObject, type GraphReadOptions,
} from './reader.js';
export { memberReader, readMember, type MemberReader, type MemberValue } from './keys.js';
