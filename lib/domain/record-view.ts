// The record object of docs/contract.md section 4: the seed's names first, then the names Altegio's
// live JSON uses, with the same values, so clients written against either keep working. Joined
// from the record, its location, its team member and the service catalogue. Pure: no I/O.
import { cancelState } from './cancellation.js';
import type { CompanyDoc, RecordDoc, RecordServiceLine, ServiceDoc, StaffDoc } from './entities.js';
import { rescheduleState } from './schedule.js';

export interface RecordParts {
  company: CompanyDoc | null;
  staff: StaffDoc | null;
  services: Map<number, ServiceDoc>;
}

function serviceView(line: RecordServiceLine, catalogue: ServiceDoc | undefined, soleLength: number) {
  const length = line.seance_length ?? catalogue?.seance_length ?? soleLength;
  return {
    id: line.id,
    title: catalogue?.title || line.title,
    cost: line.cost,
    price_min: catalogue?.price_min ?? line.price_min ?? line.cost,
    price_max: catalogue?.price_max ?? line.price_max ?? line.cost,
    discount: line.discount,
    amount: line.amount,
    session_length: length,
    seance_length: length,
  };
}

function locationView(companyId: number, c: CompanyDoc | null) {
  return {
    id: companyId,
    title: c?.title ?? '',
    country_id: c?.country_id ?? 0,
    country: c?.country ?? '',
    city_id: c?.city_id ?? 0,
    city: c?.city ?? '',
    timezone: c?.timezone ?? '',
    address: c?.address ?? '',
    phone: c?.phone ?? '',
    phones: c?.phones ?? [],
    coordinate_lat: c?.coordinate_lat ?? 0,
    coordinate_lng: c?.coordinate_lng ?? 0,
    coordinate_lon: c?.coordinate_lng ?? 0,
    allow_delete_record: c?.allow_delete_record ?? false,
    allow_change_record: c?.allow_change_record ?? false,
    site: c?.site ?? '',
    currency_short_title: c?.currency_short_title ?? '',
    allow_change_record_delay_step: c?.allow_change_record_delay_step ?? 0,
    allow_delete_record_delay_step: c?.allow_delete_record_delay_step ?? 0,
  };
}

function staffView(s: StaffDoc | null, staffId: number | null) {
  return {
    id: s?.id ?? staffId ?? 0,
    name: s?.name ?? '',
    specialization: s?.specialization ?? '',
    position: s?.position ?? { id: 0, title: '' },
    show_rating: s?.show_rating ?? 0,
    rating: s?.rating ?? 0,
    votes_count: s?.votes_count ?? 0,
    comments_count: s?.comments_count ?? 0,
    avatar: s?.avatar ?? '',
  };
}

/**
 * The team member's own object wins over the snapshot inside the record: ratings move on.
 * `cancel_deadline` and `can_cancel` (and `reschedule_deadline`, `can_reschedule`) are beyond
 * Altegio's contract: they let an app hide a button instead of learning the rules from a refusal.
 */
export function recordView(record: RecordDoc, parts: RecordParts, now: number) {
  const location = locationView(record.company_id, parts.company);
  const cancel = cancelState(record, parts.company, now);
  const move = rescheduleState(record, parts.company, now);
  return {
    id: record.id,
    // A record's only service lasts as long as the record, whatever else is unknown about it.
    services: record.services.map((line) =>
      serviceView(line, parts.services.get(line.id), record.services.length === 1 ? record.length : 0),
    ),
    location,
    company: location,
    staff: staffView(parts.staff ?? record.staff, record.staff_id),
    clients_count: record.clients_count,
    date: record.date,
    datetime: record.datetime,
    create_date: record.create_date,
    length: record.length,
    seance_length: record.length,
    deleted: record.deleted,
    notify_by_sms: record.notify_by_sms,
    notify_by_email: record.notify_by_email,
    comment: record.comment,
    master_requested: record.master_requested,
    online: record.online,
    visit_attendance: record.visit_attendance,
    attendance: record.visit_attendance,
    api_id: record.api_id,
    last_change_date: record.last_change_date,
    prepaid: record.prepaid,
    prepaid_confirmed: record.prepaid_confirmed,
    activity_id: record.activity_id,
    cancel_deadline: cancel.deadline,
    can_cancel: !record.deleted && cancel.refusal === null,
    reschedule_deadline: move.deadline,
    can_reschedule: !record.deleted && move.refusal === null,
  };
}
