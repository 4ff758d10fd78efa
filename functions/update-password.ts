// PUT /v1/booking/user/password (docs/contract.md 3.3): sets the first password, or changes it given
// the old one (or a fresh SMS-code login: lib/password.ts); answers with a new user token, and
// every earlier token stops working at once.
import type * as z from 'zod';
import { cabinetHandler, type CabinetContext } from '../lib/http/handler.js';
import { ok, type Reply } from '../lib/http/response.js';
import { changePassword } from '../lib/password.js';
import type { AnswerOf } from '../lib/schemas/responses/index.js';
import { updatePasswordSchema } from '../lib/schemas/profile.js';

export async function updatePassword(
  { body }: z.output<typeof updatePasswordSchema>,
  { user, sourceIp }: CabinetContext,
): Promise<Reply<AnswerOf<'update-password'>>> {
  return ok({ user_token: await changePassword(user!, body.old_password, body.new_password, sourceIp) });
}

export const handler = cabinetHandler(updatePassword, {
  operation: 'update-password',
  auth: 'partner+user',
  schema: updatePasswordSchema,
  body: true,
});
