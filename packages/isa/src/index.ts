export const PACKAGE = '@bpfkit/isa';
