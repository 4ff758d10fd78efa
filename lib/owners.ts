// Whose appointment a record is. A client phone written without its country
// code is read with the country of the record's own location (lib/domain/entities.ts `regionOf`),
// never the deployment's default: `(917) 601-8672` at a US location is +1, not +7. While that
// location is not known, the record has no owner and waits in the GSI under its location; when
// the location arrives, its waiting records get their owners, a bounded number per delivery.
//
// No record is left waiting by a race: a record written as waiting then reads its location again
// (strongly consistent), and a location, once written, queries its waiting records. Whichever of
// the two writes came second sees the other's.
import { config } from './config.js';
import { getCompanyNow, pendingRecordsOf, settleOwner } from './db/entities.js';
import { changeOf, needsLocation, ownerOf, regionOf, type Change, type CompanyDoc, type RecordDoc } from './domain/entities.js';
import type { WebhookEvent } from './schemas/webhook.js';

/** Waiting records settled per page, and pages per location delivery: the work one delivery does. */
export const pendingPage = 25;
export const pendingPagesPerDelivery = 8;

/** The change an event asks for, with its owner read by its location's country where it needs one. */
export async function changeWithOwner(event: WebhookEvent, receivedAt: number): Promise<Change | null> {
  if (!needsLocation(event)) return changeOf(event, receivedAt, config.defaultCountry);
  const company = await getCompanyNow(event.company_id);
  return changeOf(event, receivedAt, company ? regionOf(company, config.defaultCountry) : null);
}

const settle = (doc: RecordDoc, version: number, company: CompanyDoc) =>
  settleOwner({ doc, version, company_id: doc.company_id }, ownerOf(doc, regionOf(company, config.defaultCountry)).owner);

/** After a record was written as waiting: its location may have arrived meanwhile. */
export async function recheckLocation(change: Change): Promise<void> {
  if (!change.awaitsLocation || change.doc === null) return;
  const company = await getCompanyNow(change.companyId);
  if (company) await settle(change.doc as RecordDoc, change.version, company);
}

/**
 * After a location's delivery: its waiting records get their owners, up to
 * `pendingPage × pendingPagesPerDelivery` of them; more wait for its next delivery.
 */
export async function settleWaitingRecords(companyId: number): Promise<void> {
  const company = await getCompanyNow(companyId);
  if (!company) return;
  let startKey: Record<string, unknown> | undefined;
  for (let page = 0; page < pendingPagesPerDelivery; page++) {
    const { records, next } = await pendingRecordsOf(companyId, pendingPage, startKey);
    await Promise.all(records.map((stored) => settle(stored.doc, stored.version, company)));
    if (!next) return;
    startKey = next;
  }
}
