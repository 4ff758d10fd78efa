// What a change written back to Altegio asks of connected mode (lib/profile.ts, lib/reviews.ts): its inline attempt.
export { runInline } from '../../altegio/writeback.js';
