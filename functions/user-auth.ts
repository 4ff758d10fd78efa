// POST /v1/user/auth (CONTRACT.md section 2): logs in with a phone and its SMS code, creating the
// user on first login, and answers 201 with the user and a fresh user token.
import type * as z from 'zod';
import { config } from '../lib/config.js';
import { useCode } from '../lib/db/codes.js';
import { getEntity } from '../lib/db/entities.js';
import { issueToken, userForLogin } from '../lib/db/users.js';
import { wrongCodeError } from '../lib/domain/codes.js';
import { regionOf, type CompanyDoc } from '../lib/domain/entities.js';
import { requirePhone } from '../lib/domain/phone.js';
import { userView } from '../lib/domain/users.js';
import { cabinetHandler, type CabinetContext } from '../lib/http/handler.js';
import { ok, type Reply } from '../lib/http/response.js';
import { chargeLimits } from '../lib/limits/limiter.js';
import { loginLimits } from '../lib/limits/policies.js';
import { userAuthSchema } from '../lib/schemas/identity.js';
import { codeDigestKey } from '../lib/sms/send-code.js';

export async function userAuth({ body }: z.output<typeof userAuthSchema>, { sourceIp }: CabinetContext): Promise<Reply> {
  await chargeLimits(loginLimits(sourceIp));
  const company = body.company_id ? await getEntity<CompanyDoc>('company', body.company_id) : null;
  const phone = requirePhone(body.phone, regionOf(company?.doc ?? null, config.defaultCountry));
  const stored = await useCode(codeDigestKey(), { purpose: 'login', subject: '-', phone }, body.code);
  if (!stored) throw wrongCodeError('code');
  const user = await userForLogin(phone, typeof stored.fullname === 'string' ? stored.fullname : '');
  return ok(userView(user, await issueToken(user)), 201);
}

export const handler = cabinetHandler(userAuth, { auth: 'partner', schema: userAuthSchema, body: true });
