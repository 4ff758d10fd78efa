// GET /v1/booking/user/data (docs/contract.md 3.1): the signed-in user, plus `"0"`: the token again,
// an artefact of Altegio's PHP that some clients read.
import { userView } from '../lib/domain/users.js';
import { cabinetHandler, type CabinetContext } from '../lib/http/handler.js';
import { ok, type Reply } from '../lib/http/response.js';
import type { AnswerOf } from '../lib/schemas/responses/index.js';
import { userDataSchema } from '../lib/schemas/identity.js';

export async function getUserData(_input: unknown, { user, credentials }: CabinetContext): Promise<Reply<AnswerOf<'get-user-data'>>> {
  const token = credentials!.userToken!;
  return ok({ '0': token, ...userView(user!, token) });
}

export const handler = cabinetHandler(getUserData, { operation: 'get-user-data', auth: 'partner+user', schema: userDataSchema });
