// What a cancellation asks of connected mode (lib/cancel.ts): Altegio's current state, and the DELETE.
export { movedToAnotherClient } from '../read-through.js';
export { freshCancelState, inlineDeadline, rememberedCancelState, runInline } from '../../altegio/writeback.js';
