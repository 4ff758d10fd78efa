// POST /v1/user/auth (docs/contract.md section 2): logs in with a phone and its SMS code, creating the
// user on first login, and answers 201 with the user and a fresh user token.
import type { z } from 'zod';
import { config } from '../lib/config.js';
import { getEntity } from '../lib/db/entities.js';
import { regionOf, type CompanyDoc } from '../lib/domain/entities.js';
import { checkPhone } from '../lib/domain/phone.js';
import { userView } from '../lib/domain/users.js';
import { unlessRefused } from '../lib/errors.js';
import { cabinetHandler, type CabinetContext } from '../lib/http/handler.js';
import { ok, type Reply } from '../lib/http/response.js';
import { chargeLimits } from '../lib/limits/limiter.js';
import { loginLimits } from '../lib/limits/policies.js';
import { logInWithCode } from '../lib/login.js';
import type { AnswerOf } from '../lib/schemas/responses/index.js';
import { userAuthSchema } from '../lib/schemas/identity.js';

export async function userAuth({ body }: z.output<typeof userAuthSchema>, { sourceIp }: CabinetContext): Promise<Reply<AnswerOf<'user-auth'>>> {
  await chargeLimits(loginLimits(sourceIp));
  const company = body.company_id ? await getEntity<CompanyDoc>('company', body.company_id) : null;
  const phone = unlessRefused(checkPhone(body.phone, regionOf(company?.doc ?? null, config.defaultCountry)));
  const { user, token } = await logInWithCode(phone, body.code);
  return ok(userView(user, token), 201);
}

export const handler = cabinetHandler(userAuth, { operation: 'user-auth', auth: 'partner', schema: userAuthSchema, body: true });
