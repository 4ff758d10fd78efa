// POST /v1/user/auth (docs/contract.md section 2): logs in with a phone and its SMS code, creating the
// user on first login, and answers 201 with the user and a fresh user token.
import type { z } from 'zod';
import { userView } from '../lib/domain/users.js';
import { cabinetHandler, type CabinetContext } from '../lib/http/handler.js';
import { ok, type Reply } from '../lib/http/response.js';
import { chargeLimits } from '../lib/limits/limiter.js';
import { loginLimits } from '../lib/limits/policies.js';
import { logInWithCode, loginPhone } from '../lib/login.js';
import type { AnswerOf } from '../lib/schemas/responses/index.js';
import { userAuthSchema } from '../lib/schemas/identity.js';

export async function userAuth(
  { body }: z.output<typeof userAuthSchema>,
  { sourceIp }: CabinetContext,
): Promise<Reply<AnswerOf<'user-auth'>>> {
  await chargeLimits(loginLimits(sourceIp));
  const phone = await loginPhone(body.phone, body.company_id);
  const { user, token } = await logInWithCode(phone, body.code);
  return ok(userView(user, token), 201);
}

export const handler = cabinetHandler(userAuth, { operation: 'user-auth', auth: 'partner', schema: userAuthSchema, body: true });
