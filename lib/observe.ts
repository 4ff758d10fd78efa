// Structured logs and metrics with Powertools for AWS Lambda: JSON lines that CloudWatch Logs
// keeps, and metrics as embedded-metric-format lines that CloudWatch turns into metrics without an
// API call. Callers pass names, ids, counts and statuses only: never a token, code, password,
// phone, request path (it holds record hashes and review tokens) or body.
import { Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes, LogItemExtraInput, LogItemMessage } from '@aws-lambda-powertools/logger/types';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { clock } from './clock.js';
import { buildFromConfig, config } from './config.js';

/** Identical warnings (same message and fields) written per clock minute; the rest are counted. */
export const repeatedWarningsPerMinute = 10;
const keptRepeats = 1000;

function sameness(_key: string, value: unknown): unknown {
  return value instanceof Error ? `${value.name}: ${value.message}` : value;
}

/**
 * A flood (a thousand refused requests a minute, all alike) must not become a thousand WARN lines:
 * the operator's log is paid for by the line and read by a person. Each kind of warning is written
 * 10 times a clock minute at most; the first one written in a later minute carries `suppressed`,
 * how many like it were left out before it.
 */
class FloodProofLogger extends Logger {
  private readonly repeats = new Map<string, { minute: number; written: number; suppressed: number }>();

  public override warn(input: LogItemMessage, ...extra: LogItemExtraInput): void {
    const key = JSON.stringify([input, extra], sameness);
    const minute = Math.floor(clock.now() / 60_000);
    let seen = this.repeats.get(key);
    let suppressed = 0;
    if (!seen || seen.minute !== minute) {
      suppressed = seen?.suppressed ?? 0;
      if (this.repeats.size >= keptRepeats) this.repeats.clear();
      seen = { minute, written: 0, suppressed: 0 };
      this.repeats.set(key, seen);
    }
    if (seen.written >= repeatedWarningsPerMinute) {
      seen.suppressed++;
      return;
    }
    seen.written++;
    if (suppressed) super.warn(input, ...(extra as LogAttributes[]), { suppressed });
    else super.warn(input, ...extra);
  }
}

export let logger: FloodProofLogger;
let metrics: Metrics;
buildFromConfig(({ tableName, logLevel }) => {
  // The table names the deployment (cabinet-prod, cabinet-staging…): one dashboard per stage.
  const deployment = { deployment: tableName };
  logger = new FloodProofLogger({ serviceName: 'cabinet', logLevel, persistentKeys: deployment });
  metrics = new Metrics({ namespace: 'cabinet', serviceName: 'cabinet', defaultDimensions: deployment });
});

/** What an operator watches for abuse and health (docs/operations.md). */
export type Counter =
  | 'SmsSent'
  | 'SmsRefusedByLimit'
  | 'SmsFailed'
  | 'SmsBudgetSpent'
  | 'Logins'
  | 'LoginsFailed'
  | 'Cancellations'
  | 'Reschedules'
  | 'Reviews'
  | 'EventsDelivered'
  | 'EventsFailed'
  | 'EventsExpired'
  | 'AltegioWritebacksDone'
  | 'AltegioWritebacksRetried'
  | 'AltegioWritebacksFailed'
  | 'AltegioWritebacksStopped';

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
