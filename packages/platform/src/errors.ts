/** Error codes of the platform package. */
export type PlatformErrorCode = 'UNKNOWN_PROG_TYPE' | 'BAD_HELPER_TABLE' | 'BAD_PROG_TYPE_TABLE' | 'BAD_KFUNC_TABLE' | 'BAD_LIMITS';

/** Location of a platform problem: which helper id, program type or kfunc. */
export interface PlatformErrorLocation {
  readonly helperId?: number;
  readonly progType?: string | number;
  readonly kfunc?: string;
}

/** The only error this package throws for bad input (unknown names, inconsistent tables). */
export class PlatformError extends Error {
  override readonly name = 'PlatformError';
  constructor(
    readonly code: PlatformErrorCode,
    message: string,
    readonly location: PlatformErrorLocation = {},
  ) {
    super(message);
  }
}
