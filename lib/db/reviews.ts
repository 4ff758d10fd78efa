// Reviews of visits (docs/contract.md 3.7, 3.8). A visit's review item is created once, conditionally,
// with its link (record_token, kept as a digest with an expiry) and the review_request event, in
// one transaction: however often the visited record is delivered, one link is minted and one
// request sent. Submitting is one transaction too: the review, the team member's tally and the
// review event, conditional on the review not being submitted yet.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { clock } from '../clock.js';
import { atLocation } from '../domain/dates.js';
import type { CompanyDoc, RecordDoc, StaffDoc } from '../domain/entities.js';
import { withReviews, type ReviewTally } from '../domain/ratings.js';
import type { Review, ReviewContext } from '../domain/reviews.js';
import { sha256Hex } from '../domain/secrets.js';
import { batchGet } from './batch.js';
import { db, tableName } from './client.js';
import { visible } from './entities.js';
import { eventPut } from './events.js';
import { keys } from './keys.js';

/** Mints the visit's review link unless it has one; returns the link only when minted now. `page`: the review page's URL. */
export async function mintReviewToken(
  record: RecordDoc,
  token: string,
  phone: string | null,
  lifetimeMs: number,
  page?: string,
): Promise<boolean> {
  const now = clock.now();
  const digest = sha256Hex(token);
  const review: Review = {
    record_id: record.id,
    company_id: record.company_id,
    staff_id: record.staff_id,
    token_digest: digest,
    submitted: false,
  };
  const expiresAt = now + lifetimeMs;
  const link = {
    ...keys.reviewToken(digest),
    record_id: record.id,
    company_id: record.company_id,
    staff_id: record.staff_id,
    expires_at: expiresAt,
    ttl: Math.ceil(expiresAt / 1000),
  };
  const event = eventPut({
    company_id: record.company_id,
    resource: 'review_request',
    resource_id: record.id,
    status: 'create',
    data: { record_id: record.id, record_token: token, phone, ...(page ? { links: { review: page } } : {}) },
  });
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName,
              Item: { ...keys.review(record.id), type: 'review', ...review, created_at: atLocation(now, null, record.datetime) },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          { Put: { TableName: tableName, Item: link } },
          event,
        ],
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
    throw error;
  }
}

/** Everything the form shows, by link; null for an unknown or expired link (the same 404). */
export async function findByReviewToken(token: string): Promise<ReviewContext | null> {
  const digest = sha256Hex(token);
  const { Item: link } = await db.send(new GetCommand({ TableName: tableName, Key: keys.reviewToken(digest) }));
  // DynamoDB's TTL deletes only eventually: the expiry is checked here.
  if (!link || Number(link.expires_at) <= clock.now()) return null;
  const wanted = [
    keys.review(Number(link.record_id)),
    keys.entity('record', Number(link.record_id)),
    keys.entity('company', Number(link.company_id)),
  ];
  if (link.staff_id) wanted.push(keys.entity('staff', Number(link.staff_id)));
  const items = await batchGet(wanted);
  const find = (key: { pk: string }) => items.find((item) => item.pk === key.pk);
  const review = find(wanted[0]!) as Review | undefined;
  const record = visible<RecordDoc>(find(wanted[1]!));
  if (!review || review.token_digest !== digest || !record) return null;
  const staffItem = wanted[3] ? find(wanted[3]) : undefined;
  const staff = visible<StaffDoc>(staffItem);
  return {
    review,
    record: record.doc,
    staff: staff ? withReviews(staff.doc, staffItem as ReviewTally) : null,
    company: visible<CompanyDoc>(find(wanted[2]!))?.doc ?? null,
  };
}

export interface Submission {
  rating: number;
  text: string;
  tips_amount: number;
  redirect_prefix?: string;
}

/** Stores the review with the tally and the event; false when it was submitted already. */
export async function submitReview(
  context: ReviewContext,
  submission: Submission,
  writeback: Array<{ Put: Record<string, unknown> }> = [],
): Promise<boolean> {
  const { review } = context;
  const now = atLocation(clock.now(), context.company, context.record.datetime);
  const data = { record_id: review.record_id, staff_id: review.staff_id, ...submission, submitted_at: now };
  const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> = [
    {
      Update: {
        TableName: tableName,
        Key: keys.review(review.record_id),
        UpdateExpression:
          'SET submitted = :yes, rating = :rating, #text = :text, tips_amount = :tips, submitted_at = :now' +
          (submission.redirect_prefix ? ', redirect_prefix = :redirect' : ''),
        ConditionExpression: 'submitted = :no AND token_digest = :digest',
        ExpressionAttributeNames: { '#text': 'text' },
        ExpressionAttributeValues: {
          ':yes': true,
          ':no': false,
          ':rating': submission.rating,
          ':text': submission.text,
          ':tips': submission.tips_amount,
          ':now': now,
          ':digest': review.token_digest,
          ...(submission.redirect_prefix ? { ':redirect': submission.redirect_prefix } : {}),
        },
      },
    },
    eventPut({ company_id: review.company_id, resource: 'review', resource_id: review.record_id, status: 'create', data }),
  ];
  // Connected mode: the Altegio write-back command of the review (docs/contract.md 8.4), one per review.
  items.push(...(writeback as typeof items));
  if (review.staff_id) {
    items.push({
      Update: {
        TableName: tableName,
        Key: keys.entity('staff', review.staff_id),
        UpdateExpression: 'ADD review_sum :rating, review_votes :one, review_comments :comment',
        ExpressionAttributeValues: { ':rating': submission.rating, ':one': 1, ':comment': submission.text.trim() ? 1 : 0 },
      },
    });
  }
  for (let attempt = 0; ; attempt++) {
    try {
      await db.send(new TransactWriteCommand({ TransactItems: items }));
      return true;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      if (error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
      // A conflict with a concurrent transaction (another submission, or a tally): try again.
      if (attempt >= 4) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40 * (attempt + 1)));
    }
  }
}

/** The team member as the form and the record show them after a review: rating, votes, comments. */
export async function staffAfterReview(staffId: number): Promise<StaffDoc | null> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.entity('staff', staffId), ConsistentRead: true }));
  const staff = visible<StaffDoc>(Item);
  return staff ? withReviews(staff.doc, Item as ReviewTally) : null;
}
