// POST /v1/booking/auth (CONTRACT.md section 2): logs in with a phone or email and a password.
// An unknown login and a wrong password get the same answer in the same time.
import type * as z from 'zod';
import { config } from '../lib/config.js';
import { findUserByEmail, findUserByPhone, issueToken } from '../lib/db/users.js';
import { verifyNothing, verifyPassword } from '../lib/domain/passwords.js';
import { normalizePhone } from '../lib/domain/phone.js';
import { emailKey, userView } from '../lib/domain/users.js';
import { ErrorCode, Unprocessable } from '../lib/errors.js';
import { cabinetHandler, type CabinetContext } from '../lib/http/handler.js';
import { ok, type Reply } from '../lib/http/response.js';
import { chargeLimits } from '../lib/limits/limiter.js';
import { passwordLoginLimits } from '../lib/limits/policies.js';
import { count } from '../lib/observe.js';
import type { AnswerOf } from '../lib/schemas/responses/index.js';
import { bookingAuthSchema } from '../lib/schemas/profile.js';

export async function bookingAuth({ body }: z.output<typeof bookingAuthSchema>, { sourceIp }: CabinetContext): Promise<Reply<AnswerOf<'booking-auth'>>> {
  const byEmail = body.login.includes('@');
  const login = byEmail ? emailKey(body.login) : (normalizePhone(body.login, config.defaultCountry) ?? body.login);
  await chargeLimits(passwordLoginLimits(sourceIp, login));
  const user = byEmail ? await findUserByEmail(login) : await findUserByPhone(login);
  const right = user?.password_hash ? await verifyPassword(body.password, user.password_hash) : await verifyNothing(body.password);
  count(user && right ? 'Logins' : 'LoginsFailed');
  if (!user || !right) throw new Unprocessable([{ code: ErrorCode.wrongLogin, message: 'Wrong login or password.' }]);
  return ok(userView(user, await issueToken(user)), 201);
}

export const handler = cabinetHandler(bookingAuth, { operation: 'booking-auth', auth: 'partner', schema: bookingAuthSchema, body: true });
