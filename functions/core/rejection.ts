/** Why an input cannot become an article. Input problems are final: recorded, never retried. */
export type RejectionReason =
  | 'EMPTY'
  | 'TOO_LARGE'
  | 'UNSUPPORTED_TYPE'
  | 'ENCODING_UNKNOWN'
  | 'ENCODING_INVALID'
  | 'NO_CONTENT'
  | 'BAD_KEY'
  | 'UNSUPPORTED_EVENT_VERSION';

export class InputRejected extends Error {
  override readonly name = 'InputRejected';
  constructor(
    readonly reason: RejectionReason,
    readonly detail: string,
  ) {
    super(`${reason}: ${detail}`);
  }
}
