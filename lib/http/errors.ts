// The one place an error becomes the contract's envelope (docs/contract.md section 1). HTTP errors
// answer as themselves; a service we call that failed (Altegio, whatever the kind) is a 503 the
// client may retry; the table's transient failures and the function's own timeout are 503s too.
// Anything else is our fault: a generic 500, and the operator a log line without request data.
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { isTransient } from '../db/client.js';
import { HttpError, ServiceUnavailable, UpstreamError } from '../errors.js';
import { logger } from '../observe.js';
import { renderError, renderInternalError } from './response.js';

const upstreamMessage = "The salon's booking system is not available right now. Please try again later.";
const retryMessage = 'Service temporarily unavailable. Please retry.';

export function toEnvelope(error: unknown): APIGatewayProxyStructuredResultV2 {
  const answer = asHttpError(error);
  return answer ? renderError(answer) : renderInternalError();
}

/** The HTTP error any error answers as (a page shows it as a page), or null for our own fault (logged here). */
export function asHttpError(error: unknown): HttpError | null {
  if (error instanceof HttpError) return error;
  if (error instanceof UpstreamError) {
    return new ServiceUnavailable(upstreamMessage, Math.max(1, Math.ceil(error.retryAfterS)));
  }
  const failure = error as Error | undefined;
  if ((failure?.cause as { package?: string } | undefined)?.package === '@middy/core') {
    // The function's own timeout (middy's early answer), not the table: the work may have been done.
    logger.error('request timed out before its answer', { error: failure?.name });
    return new ServiceUnavailable(retryMessage, 1);
  }
  if (isTransient(failure)) {
    // DynamoDB throttled, failed or did not answer, after the SDK's own retries: the client may
    // retry. Writes that must hold together are single transactions, so none is half done.
    logger.warn('table unavailable', { error: failure?.name });
    return new ServiceUnavailable(retryMessage, 1);
  }
  logger.error('unhandled error', { error: failure?.name, detail: failure?.message, stack: failure?.stack });
  return null;
}
