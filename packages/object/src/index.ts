export const PACKAGE = '@bpfkit/object';
