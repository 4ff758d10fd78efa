// PUT /v1/booking/user (docs/contract.md 3.2): name, email, and a phone confirmed by its SMS code.
import type * as z from 'zod';
import { cabinetHandler, type CabinetContext } from '../lib/http/handler.js';
import { ack, type Reply } from '../lib/http/response.js';
import { changeProfile } from '../lib/profile.js';
import type { AnswerOf } from '../lib/schemas/responses/index.js';
import { updateUserSchema } from '../lib/schemas/profile.js';

export async function updateUser(
  { body }: z.output<typeof updateUserSchema>,
  { user }: CabinetContext,
): Promise<Reply<AnswerOf<'update-user'>>> {
  await changeProfile(user!, body);
  return ack('Accepted', 202);
}

export const handler = cabinetHandler(updateUser, { operation: 'update-user', auth: 'partner+user', schema: updateUserSchema, body: true });
