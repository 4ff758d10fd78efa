// Every 10 minutes (docs/contract.md 8.2): reads what Altegio changed since the last run, per configured
// location, and applies it as webhooks would be, so a webhook Altegio never delivered heals by
// itself. Standalone, it does nothing and says so in its log. A location Altegio refuses is logged
// (`altegio reconcile failed`) and the others still run; the table failing fails the invocation.
import { reconcile } from '../lib/reconcile.js';
import type { ReconcileResult } from '../lib/sync/reconcile.js';
import { observed } from '../lib/observe.js';

export const handler = observed('altegio-reconcile', async (_schedule: void): Promise<ReconcileResult> => reconcile());
