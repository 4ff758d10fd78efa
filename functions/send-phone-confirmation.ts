// GET /v1/booking/user/phone_confirmation (docs/contract.md 3.4): texts a code to the user's NEW phone,
// bound to this user and that phone, within the SMS limits (the per-user one too).
import type * as z from 'zod';
import { NotFound, unlessRefused } from '../lib/errors.js';
import { cabinetHandler, type CabinetContext } from '../lib/http/handler.js';
import { ack, type Reply } from '../lib/http/response.js';
import { codeLocations } from '../lib/ports/code-locations.js';
import type { AnswerOf } from '../lib/schemas/responses/index.js';
import { phoneConfirmationSchema } from '../lib/schemas/profile.js';
import { checkPossibleSmsPhone } from '../lib/domain/sms-phone.js';
import { locationOfGroup, sendCode, smsRecipient } from '../lib/sms/send-code.js';

export async function sendPhoneConfirmation(
  { query }: z.output<typeof phoneConfirmationSchema>,
  { user, sourceIp }: CabinetContext,
): Promise<Reply<AnswerOf<'send-phone-confirmation'>>> {
  unlessRefused(checkPossibleSmsPhone(query.phone));
  // A group stands for its first location by id: its country and its budget, never a budget of its own.
  const company = query.company_id ? await (await codeLocations()).find(query.company_id) : await locationOfGroup(query.group_id!);
  if (!company) throw new NotFound();
  const phone = smsRecipient(query.phone, company.doc);
  await sendCode(
    { purpose: 'phone_change', subject: String(user!.id), phone },
    { ip: sourceIp, locationId: company.doc.id, userId: user!.id },
  );
  return ack('Accepted', 202);
}

export const handler = cabinetHandler(sendPhoneConfirmation, {
  operation: 'send-phone-confirmation',
  auth: 'partner+user',
  schema: phoneConfirmationSchema,
});
