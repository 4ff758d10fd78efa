// POST /v1/book_code/{company_id} (docs/contract.md section 2): texts a login code to a phone of the
// location's allowed countries, within the SMS limits of section 5 and the location's budget.
import type * as z from 'zod';
import { NotFound, unlessRefused } from '../lib/errors.js';
import { cabinetHandler, type CabinetContext } from '../lib/http/handler.js';
import { ack, type Reply } from '../lib/http/response.js';
import { codeLocations } from '../lib/ports/code-locations.js';
import type { AnswerOf } from '../lib/schemas/responses/index.js';
import { bookCodeSchema } from '../lib/schemas/identity.js';
import { checkPossibleSmsPhone } from '../lib/domain/sms-phone.js';
import { sendCode, smsRecipient } from '../lib/sms/send-code.js';

export async function sendBookCode(
  { path, body }: z.output<typeof bookCodeSchema>,
  { sourceIp }: CabinetContext,
): Promise<Reply<AnswerOf<'send-book-code'>>> {
  unlessRefused(checkPossibleSmsPhone(body.phone));
  const company = /^\d{1,15}$/.test(path.company_id) ? await (await codeLocations()).find(Number(path.company_id)) : null;
  if (!company) throw new NotFound();
  const phone = smsRecipient(body.phone, company.doc);
  const binding = { purpose: 'login' as const, subject: '-', phone };
  await sendCode(binding, { ip: sourceIp, locationId: company.doc.id }, body.fullname ? { fullname: body.fullname } : {});
  return ack('Created', 201);
}

export const handler = cabinetHandler(sendBookCode, { operation: 'send-book-code', auth: 'partner', schema: bookCodeSchema, body: true });
