// Structured logs and metrics with Powertools for AWS Lambda: JSON lines that CloudWatch Logs
// keeps, and metrics as embedded-metric-format lines that CloudWatch turns into metrics without an
// API call. Callers pass names, ids, counts and statuses only: never a token, code, password,
// phone, request path (it holds record hashes and review tokens) or body.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { config } from './config.js';

// The table names the deployment (cabinet-prod, cabinet-staging…): one dashboard per stage.
const deployment = { deployment: config.tableName };

export const logger = new Logger({ serviceName: 'cabinet', logLevel: config.logLevel, persistentKeys: deployment });

const metrics = new Metrics({ namespace: 'cabinet', serviceName: 'cabinet', defaultDimensions: deployment });

/** What an operator watches for abuse and health (docs/operations.md). */
export type Counter =
  | 'SmsSent' | 'SmsRefusedByLimit' | 'SmsFailed' | 'SmsBudgetSpent'
  | 'Logins' | 'LoginsFailed'
  | 'Cancellations' | 'Reviews'
  | 'EventsDelivered' | 'EventsFailed' | 'EventsExpired'
  | 'AltegioWritebacksDone' | 'AltegioWritebacksRetried' | 'AltegioWritebacksFailed' | 'AltegioWritebacksStopped';

export function count(name: Counter, value = 1): void {
  metrics.addMetric(name, MetricUnit.Count, value);
}

/** Every log line of this invocation carries the Lambda context and these keys. */
export function beginInvocation(context: Context | undefined, keys: Record<string, string>): void {
  logger.resetKeys();
  if (context) logger.addContext(context);
  logger.appendKeys(keys);
}

/** Writes the invocation's metrics as one line (or drops them when CABINET_METRICS is off). */
export function endInvocation(): void {
  if (!metrics.hasStoredMetrics()) return;
  if (config.metrics) metrics.publishStoredMetrics();
  else metrics.clearMetrics();
}

/** For the functions outside the HTTP chain (the event deliverers; the local relay gives no context). */
export function observed<E, R>(operation: string, handler: (event: E) => Promise<R>) {
  return async (event: E, context?: Context): Promise<R> => {
    beginInvocation(context, { operation });
    try {
      return await handler(event);
    } finally {
      endInvocation();
    }
  };
}
