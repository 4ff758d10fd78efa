// The user of docs/contract.md section 2 (lib/domain/users.ts userView), and what 3.1 and 3.3 answer.
import * as z from 'zod';
import { acknowledgement, success } from './envelope.js';
import { model } from './registry.js';

const userFields = {
  id: z.int(),
  user_token: z.string().describe('send it as `Authorization: Bearer <partner token>, User <user token>`'),
  name: z.string(),
  phone: z.string().describe('E.164 digits'),
  login: z.string().describe('the phone'),
  email: z.string(),
  avatar: z.string(),
};

export const user = model('User', 'A cabinet user, with a user token.', z.strictObject(userFields));
export const userData = model(
  'UserData',
  'The user, plus `"0"`: the token again, an artefact of the vendor\'s PHP that some clients read.',
  z.strictObject({ '0': z.string(), ...userFields }),
);

export const userReply = success('UserReply', 'The user with a fresh user token.', user);
export const userDataReply = success('UserDataReply', 'The signed-in user.', userData);
export const passwordReply = success(
  'PasswordReply',
  'The new user token; every earlier token of the user stops working.',
  z.strictObject({ user_token: z.string() }),
);
export const created = acknowledgement('Created', 'Created');
export const accepted = acknowledgement('Accepted', 'Accepted');
