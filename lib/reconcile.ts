// The reconcile every 10 minutes (docs/contract.md 8.2), as functions/altegio-reconcile.ts asks for it
// (lib/sync/reconcile.ts does the work). Standalone, it loads nothing of the connector, does nothing
// and says so.
import { logger } from './observe.js';
import { reconciling } from './ports/reconciling.js';
import type { ReconcileResult } from './sync/reconcile.js';

export async function reconcile(): Promise<ReconcileResult> {
  const part = await reconciling();
  if (part) return part.reconcile();
  logger.info('altegio reconcile: standalone (CABINET_ALTEGIO_COMPANY_IDS is not set), nothing to do');
  return { connected: false, locations: [] };
}
