// PUT /v1/booking/user/password (CONTRACT.md 3.3): sets the first password, or changes it given
// the old one; answers with a new user token, and every earlier token stops working at once.
import type * as z from 'zod';
import { setPassword } from '../lib/db/users.js';
import { hashPassword, verifyPassword } from '../lib/domain/passwords.js';
import { ErrorCode, Unprocessable } from '../lib/errors.js';
import { cabinetHandler, type CabinetContext } from '../lib/http/handler.js';
import { ok, type Reply } from '../lib/http/response.js';
import { chargeLimits } from '../lib/limits/limiter.js';
import { passwordLoginLimits } from '../lib/limits/policies.js';
import type { AnswerOf } from '../lib/schemas/responses/index.js';
import { updatePasswordSchema } from '../lib/schemas/profile.js';

const wrongOld = () => new Unprocessable([{ code: ErrorCode.wrongOldPassword, message: 'old_password: wrong password' }]);

export async function updatePassword({ body }: z.output<typeof updatePasswordSchema>, { user, sourceIp }: CabinetContext): Promise<Reply<AnswerOf<'update-password'>>> {
  if (user!.password_hash) {
    // Guessing the old password with a stolen token counts against the same limits as logging in.
    await chargeLimits(passwordLoginLimits(sourceIp, user!.phone));
    if (!body.old_password || !(await verifyPassword(body.old_password, user!.password_hash))) throw wrongOld();
  }
  const token = await setPassword(user!, await hashPassword(body.new_password));
  if (!token) throw wrongOld(); // changed meanwhile: the old password checked may be old no more
  return ok({ user_token: token });
}

export const handler = cabinetHandler(updatePassword, { operation: 'update-password', auth: 'partner+user', schema: updatePasswordSchema, body: true });
