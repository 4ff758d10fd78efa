// The links cabinet hands out, as a customer opens them (docs/contract.md section 10): an appointment's
// page and a visit's review page, under CABINET_PUBLIC_URL.
import { config } from '../config.js';

export const managePath = (recordId: number, hash: string) => `/r/${recordId}/${encodeURIComponent(hash)}`;
export const reviewPath = (token: string) => `/review/${encodeURIComponent(token)}`;

export const manageLink = (recordId: number, hash: string) => `${config.publicUrl}${managePath(recordId, hash)}`;
export const reviewLink = (token: string) => `${config.publicUrl}${reviewPath(token)}`;
