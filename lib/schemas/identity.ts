// Obtaining a user token (CONTRACT.md section 2) and reading the user (3.1).
import * as z from 'zod';
import { id } from './altegio.js';

/** Clients send phones and codes as strings or as numbers. */
const looseString = (max: number) => z.union([z.string(), z.number().transform(String)]).pipe(z.string().trim().min(1).max(max));

export const bookCodeSchema = z.object({
  path: z.object({ company_id: z.string() }),
  body: z.object({ phone: looseString(32), fullname: z.string().trim().max(255).optional() }),
});

export const userAuthSchema = z.object({
  body: z.object({ phone: looseString(32), code: looseString(16), company_id: id.optional() }),
});

export const userDataSchema = z.object({});
