/** Limits of the pure core, with defaults; the handlers read overrides from the environment once. */
export interface CoreLimits {
  /** Larger objects are rejected as TOO_LARGE before they are read (and gzip may not expand past it). */
  maxRawBytes: number;
  /** Fewer letters of article text than this after cleaning: NO_CONTENT. */
  minBodyChars: number;
}

export const DEFAULT_LIMITS: CoreLimits = { maxRawBytes: 5 * 1024 * 1024, minBodyChars: 80 };
