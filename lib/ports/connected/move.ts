// What moving an appointment asks of connected mode (lib/reschedule.ts): one lease, the reads, the PUT.
export { putBody, putMove, readForMove, underMoveLease } from '../../altegio/move.js';
