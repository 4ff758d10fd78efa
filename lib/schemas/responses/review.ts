// The feedback form of docs/contract.md 3.7 (lib/domain/review-form.ts) and the answer to a review (3.8).
import * as z from 'zod';
import { success } from './envelope.js';
import { position } from './record.js';
import { model } from './registry.js';

const int = z.int();

export const reviewForm = model(
  'ReviewForm',
  'What the feedback form of a visit shows.',
  z.strictObject({
    is_review_submitted: z.boolean(),
    page_title: z.string(),
    favicon_url: z.string(),
    master: z.strictObject({
      id: int,
      name: z.string(),
      company_id: int,
      specialization: z.string(),
      rating: z.number(),
      show_rating: int,
      avatar: z.string(),
      position,
    }),
    company: z.strictObject({ id: int, title: z.string(), logo: z.string(), address: z.string() }),
    record: z.strictObject({ id: int, payed_cost: z.number(), date: z.string() }),
    currency: z.strictObject({ id: int, iso: z.string(), name: z.string(), symbol: z.string(), is_symbol_after_amount: z.boolean() }),
    tips: z.array(z.never()).describe('no tip presets are configured in the cabinet: always empty'),
    agreement_links: z.strictObject({ terms_of_use: z.string(), confidentiality_agreement: z.string() }),
    language: z.strictObject({ id: int, locale: z.string(), iso: z.string() }),
  }),
);

export const reviewed = model(
  'Reviewed',
  'The review is stored; the team member as rated now (null for a visit without one).',
  z.strictObject({
    is_review_submitted: z.literal(true),
    master: z.strictObject({ id: int, rating: z.number(), votes_count: int, comments_count: int }).nullable(),
  }),
);

export const reviewFormReply = success('ReviewFormReply', 'The feedback form.', reviewForm);
export const reviewedReply = success('ReviewedReply', 'Stored.', reviewed);
