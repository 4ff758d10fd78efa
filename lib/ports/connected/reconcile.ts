// The reconcile of what Altegio changed since the last run (lib/reconcile.ts): connected mode's alone.
export { reconcile } from '../../sync/reconcile.js';
