export const PACKAGE = '@bpfkit/cli';
