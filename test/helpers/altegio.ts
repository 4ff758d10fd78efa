// Webhook payloads shaped like Altegio's live JSON (ids as numbers, `attendance` and
// `visit_attendance`, `master_request`, `seance_length`...), and a signer for them.
import { sign } from '../../lib/domain/signature.js';
import { testSecret } from './table.js';

export const companyId = 4564;

export function companyEvent(overrides: Record<string, unknown> = {}, status = 'update') {
  return {
    company_id: companyId,
    resource: 'company',
    resource_id: companyId,
    status,
    data: {
      id: companyId,
      title: 'Barbershop on Tverskaya',
      public_title: 'Barbershop',
      country_id: 1,
      country: 'Russia',
      city_id: 2,
      city: 'Moscow',
      timezone: 3,
      timezone_name: 'Europe/Moscow',
      address: 'Tverskaya 1',
      coordinate_lat: 55.757,
      coordinate_lon: 37.613,
      phone: '+74951234567',
      phones: ['+74951234567', '+74957654321'],
      site: 'https://barber.example',
      currency_short_title: 'RUB',
      allow_delete_record: true,
      allow_change_record: true,
      allow_delete_record_delay_step: 3600,
      allow_change_record_delay_step: 7200,
      ...overrides,
    },
  };
}

export function staffEvent(id = 48, overrides: Record<string, unknown> = {}) {
  return {
    company_id: companyId,
    resource: 'staff',
    resource_id: id,
    status: 'update',
    data: {
      id,
      name: 'Anna Petrova',
      specialization: 'Senior barber',
      position: { id: 7, title: 'Barber' },
      show_rating: 1,
      rating: 4.8,
      votes_count: 25,
      comments_count: 9,
      avatar: 'https://img.example/anna.png',
      ...overrides,
    },
  };
}

export function serviceEvent(id = 331, overrides: Record<string, unknown> = {}) {
  return {
    company_id: companyId,
    resource: 'service',
    resource_id: id,
    status: 'update',
    data: { id, title: "Men's haircut", price_min: 1500, price_max: 2000, discount: 0, seance_length: 3600, ...overrides },
  };
}

export function recordEvent(id = 596792980, overrides: Record<string, unknown> = {}, status = 'create') {
  return {
    company_id: companyId,
    resource: 'record',
    resource_id: id,
    status,
    data: {
      id,
      company_id: companyId,
      staff_id: 48,
      services: [{ id: 331, title: 'Haircut', cost: 1800, cost_per_unit: 1800, first_cost: 1800, discount: 10, amount: 1 }],
      staff: { id: 48, name: 'Anna P.', specialization: 'Barber', position: [], avatar: '', rating: 4, votes_count: 1 },
      client: { id: 9001, name: 'Ivan Ivanov', phone: '+79161234567', email: 'ivan@example.com' },
      clients_count: 1,
      date: '2026-12-01 14:00:00',
      datetime: '2026-12-01T14:00:00+03:00',
      create_date: '2026-11-20T10:00:00+03:00',
      comment: 'window seat',
      online: true,
      visit_attendance: 0,
      attendance: 0,
      confirmed: 1,
      seance_length: 3600,
      length: 3600,
      sms_before: 0,
      sms_remain_hours: 2,
      email_remain_hours: 24,
      master_request: 1,
      api_id: 'ext-77',
      deleted: false,
      prepaid: false,
      prepaid_confirmed: false,
      activity_id: 0,
      last_change_date: '2026-11-20T10:00:00+0300',
      ...overrides,
    },
  };
}

export function signedHeaders(body: string, secret = testSecret): Record<string, string> {
  return { 'content-type': 'application/json', 'x-cabinet-signature': sign(secret, body) };
}
