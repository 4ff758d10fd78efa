// Obtaining a user token (docs/contract.md section 2) and reading the user (3.1).
import * as z from 'zod';
import { id } from './altegio.js';

/** Clients send phones and codes as strings or as numbers. */
const looseString = (max: number) => z.union([z.string(), z.number().transform(String)]).pipe(z.string().trim().min(1).max(max));

export const bookCodeSchema = z.object({
  path: z.object({ company_id: z.string() }),
  body: z.object({ phone: looseString(32), fullname: z.string().trim().max(255).optional() }),
});

/**
 * An SMS code, as a string or a JSON number. A number has lost its leading zeros on the way (the
 * code "012345" arrives as 12345), so it is padded back to six digits; a number that cannot be a
 * code is refused (1001) before any attempt is counted against the code .
 */
export const smsCode = z
  .union([z.string(), z.number()])
  .transform((value, ctx) => {
    if (typeof value === 'string') return value;
    if (Number.isInteger(value) && value >= 0 && value <= 999_999) return String(value).padStart(6, '0');
    ctx.addIssue({ code: 'custom', message: 'a code sent as a number must be a whole number of at most 6 digits' });
    return z.NEVER;
  })
  .pipe(z.string().trim().min(1).max(16));

export const userAuthSchema = z.object({
  body: z.object({ phone: looseString(32), code: smsCode, company_id: id.optional() }),
});

export const userDataSchema = z.object({});
