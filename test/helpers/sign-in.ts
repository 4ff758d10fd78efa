// Signs a phone in through the real login operations (book_code, then user/auth with the code the
// local SMS gateway received), for tests that start from a signed-in user.
import type { SmsGateway } from './sms-gateway.js';
import { request } from './api.js';
import { testPartnerToken } from './table.js';

export const partnerHeaders = { authorization: `Bearer ${testPartnerToken}` };

export const asUser = (token: string) => ({ authorization: `Bearer ${testPartnerToken}, User ${token}` });

/**
 * `phone` as the client types it (the gateway is sent its digits). `atLocation`: user/auth names the
 * location too (company_id), as a location's own app does.
 */
export async function signIn(
  gateway: SmsGateway,
  phone: string,
  ip: string,
  companyId = 4564,
  { atLocation = false } = {},
): Promise<{ id: number; token: string }> {
  const sent = await request('POST', `/v1/book_code/${companyId}`, { headers: partnerHeaders, body: { phone }, sourceIp: ip });
  if (sent.status !== 201) throw new Error(`book_code answered ${sent.status}: ${sent.text}`);
  const code = gateway.lastCode(phone.replace(/\D/g, ''));
  const body = { phone, code, ...(atLocation ? { company_id: companyId } : {}) };
  const login = await request('POST', '/v1/user/auth', { headers: partnerHeaders, body, sourceIp: ip });
  if (login.status !== 201) throw new Error(`user/auth answered ${login.status}: ${login.text}`);
  return { id: login.body.data.id, token: login.body.data.user_token };
}
