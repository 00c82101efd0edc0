import type { MiddlewareObj } from '@middy/core';
import type { Logger } from '../shared/log';

/**
 * Logs an error once, as JSON, and rethrows it: the state machine's Retry and the intake queue
 * decide what happens next. Input problems never reach here: the stages return them as results.
 */
export const logErrors = (logger: Logger): MiddlewareObj => ({
  onError: async (request) => {
    const err = request.error as Error | null;
    logger.log('error', 'stage failed', { error: err?.name, detail: err?.message, awsRequestId: request.context?.awsRequestId });
  },
});
