// POST /v1/booking/auth (docs/contract.md section 2): logs in with a phone or email and a password.
// An unknown login and a wrong password get the same answer in the same time (lib/password.ts).
import type * as z from 'zod';
import { userView } from '../lib/domain/users.js';
import { cabinetHandler, type CabinetContext } from '../lib/http/handler.js';
import { ok, type Reply } from '../lib/http/response.js';
import { logInWithPassword } from '../lib/password.js';
import type { AnswerOf } from '../lib/schemas/responses/index.js';
import { bookingAuthSchema } from '../lib/schemas/profile.js';

export async function bookingAuth(
  { body }: z.output<typeof bookingAuthSchema>,
  { sourceIp }: CabinetContext,
): Promise<Reply<AnswerOf<'booking-auth'>>> {
  const { user, token } = await logInWithPassword(body.login, body.password, sourceIp);
  return ok(userView(user, token), 201);
}

export const handler = cabinetHandler(bookingAuth, { operation: 'booking-auth', auth: 'partner', schema: bookingAuthSchema, body: true });
