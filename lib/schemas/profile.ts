// The profile operations of docs/contract.md 3.2–3.4 and password login (section 2).
import * as z from 'zod';
import { smsCode } from './identity.js';

export const passwordLength = { min: 6, max: 128 };

const looseString = (max: number) => z.union([z.string(), z.number().transform(String)]).pipe(z.string().trim().min(1).max(max));
const digits = (what: string) =>
  z
    .string()
    .regex(/^\d{1,15}$/, `must be a ${what} id`)
    .transform(Number);
const password = z.string().min(passwordLength.min).max(passwordLength.max);

export const phoneConfirmationSchema = z.object({
  query: z
    .object({ phone: looseString(32), company_id: digits('company').optional(), group_id: digits('group').optional() })
    .refine((q) => (q.company_id === undefined) !== (q.group_id === undefined), {
      message: 'give exactly one of company_id and group_id',
      path: ['company_id'],
    }),
});

export const updateUserSchema = z.object({
  body: z.object({
    name: z.string().trim().min(1).max(255).optional(),
    // An empty string clears the email.
    email: z.union([z.literal(''), z.string().trim().max(254).pipe(z.email())]).optional(),
    phone: looseString(32).optional(),
    confirmation_code: smsCode.optional(),
  }),
});

export const updatePasswordSchema = z.object({
  body: z.object({ old_password: z.string().max(passwordLength.max).optional(), new_password: password }),
});

export const bookingAuthSchema = z.object({
  body: z.object({ login: looseString(254), password: z.string().min(1).max(passwordLength.max) }),
});
