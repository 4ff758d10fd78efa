// What each operation answers on success, written once: scripts/openapi.ts documents it, the
// functions' return types are checked against it, and every response of `npm test` is validated
// against it (test/helpers/response-check.ts). Errors are the one `errorEnvelope` everywhere.
import type * as z from 'zod';
import { errorEnvelope } from './envelope.js';
import { bookDatesReply, bookRecordReply, bookTimesReply, cancelReply, movedReply, recordListReply, recordReply } from './record.js';
import { reviewFormReply, reviewedReply } from './review.js';
import { accepted, created, passwordReply, userDataReply, userReply } from './user.js';
import { ingestedReply } from './webhook.js';

export { errorEnvelope };
export { models } from './registry.js';

export interface Answer {
  status: number;
  schema: z.ZodType;
}

/** By operation (the function's name in serverless.yml). */
export const answers = {
  'altegio-webhook': { status: 200, schema: ingestedReply },
  'send-book-code': { status: 201, schema: created },
  'user-auth': { status: 201, schema: userReply },
  'booking-auth': { status: 201, schema: userReply },
  'get-user-data': { status: 200, schema: userDataReply },
  'update-user': { status: 202, schema: accepted },
  'update-password': { status: 200, schema: passwordReply },
  'send-phone-confirmation': { status: 202, schema: accepted },
  'get-user-record': { status: 200, schema: recordReply },
  'delete-user-record': { status: 200, schema: cancelReply },
  'list-user-records': { status: 200, schema: recordListReply },
  'get-review-form': { status: 200, schema: reviewFormReply },
  'submit-review': { status: 200, schema: reviewedReply },
  'get-book-record': { status: 200, schema: bookRecordReply },
  'get-book-dates': { status: 200, schema: bookDatesReply },
  'get-book-times': { status: 200, schema: bookTimesReply },
  'move-book-record': { status: 200, schema: movedReply },
} as const satisfies Record<string, Answer>;

export type Operation = keyof typeof answers;

/** The body an operation's function must return on success. */
export type AnswerOf<O extends Operation> = z.output<(typeof answers)[O]['schema']>;
