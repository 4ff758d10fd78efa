// An example of each operation's answer, for the reference page. Typed by the answers' own schemas,
// so an example that drifts from its model fails the typecheck (and test/unit/responses.test.ts).
import type { AnswerOf, Operation } from './index.js';

const location = {
  id: 4564, title: 'Barbershop on Tverskaya', country_id: 1, country: 'Russia', city_id: 2, city: 'Moscow', timezone: 3,
  address: 'Tverskaya 1', phone: '+74951234567', phones: ['+74951234567', '+74957654321'], coordinate_lat: 55.757,
  coordinate_lng: 37.613, coordinate_lon: 37.613, allow_delete_record: true, allow_change_record: true,
  site: 'https://barber.example', currency_short_title: 'RUB', allow_change_record_delay_step: 7200, allow_delete_record_delay_step: 3600,
};

const record = {
  id: 596792980,
  services: [{ id: 331, title: "Men's haircut", cost: 1800, price_min: 1500, price_max: 2000, discount: 10, amount: 1, session_length: 3600, seance_length: 3600 }],
  location,
  company: location,
  staff: { id: 48, name: 'Anna Petrova', specialization: 'Senior barber', position: { id: 7, title: 'Barber' }, show_rating: 1, rating: 4.8, votes_count: 25, comments_count: 9, avatar: 'https://img.example/anna.png' },
  clients_count: 1, date: '2026-12-01 14:00:00', datetime: '2026-12-01T14:00:00+03:00', create_date: '2026-11-20T10:00:00+03:00',
  length: 3600, seance_length: 3600, deleted: false, notify_by_sms: 2, notify_by_email: 24, comment: 'window seat',
  master_requested: true, online: true, visit_attendance: 0, attendance: 0, api_id: 'ext-77', last_change_date: '2026-11-20T10:00:00+0300',
  prepaid: false, prepaid_confirmed: false, activity_id: 0, cancel_deadline: '2026-12-01T13:00:00+03:00', can_cancel: true,
  reschedule_deadline: '2026-12-01T12:00:00+03:00', can_reschedule: true,
};

const user = { id: 1, user_token: '2082ab3ae8d959d11d13a21c46f0ef33', name: 'Ivan', phone: '79161234567', login: '79161234567', email: 'ivan@example.com', avatar: '' };

const ok = <T>(data: T) => ({ success: true as const, data, meta: [] as [] });

export const examples: { [O in Operation]: AnswerOf<O> } = {
  'altegio-webhook': ok({ resource: 'record', resource_id: 596792980, applied: true, record_hash: 'f98be95d7ffdabc4a5da2f2b1088f4c2' }),
  'send-book-code': { success: true, meta: { message: 'Created' } },
  'user-auth': ok(user),
  'booking-auth': ok(user),
  'get-user-data': ok({ '0': user.user_token, ...user }),
  'update-user': { success: true, meta: { message: 'Accepted' } },
  'update-password': ok({ user_token: 'd41d8cd98f00b204e9800998ecf8427e' }),
  'send-phone-confirmation': { success: true, meta: { message: 'Accepted' } },
  'get-user-record': ok([record]),
  'delete-user-record': ok(null),
  'list-user-records': ok([record]),
  'get-review-form': ok({
    is_review_submitted: false, page_title: 'Barbershop on Tverskaya: how was your visit?', favicon_url: '',
    master: { id: 48, name: 'Anna Petrova', company_id: 4564, specialization: 'Senior barber', rating: 4.8, show_rating: 1, avatar: 'https://img.example/anna.png', position: { id: 7, title: 'Barber' } },
    company: { id: 4564, title: 'Barbershop on Tverskaya', logo: '', address: 'Tverskaya 1' },
    record: { id: 596792980, payed_cost: 1800, date: '2026-12-01T14:00:00+03:00' },
    currency: { id: 0, iso: 'RUB', name: 'Russian Ruble', symbol: '₽', is_symbol_after_amount: true },
    tips: [], agreement_links: { terms_of_use: '', confidentiality_agreement: '' }, language: { id: 1, locale: 'en-US', iso: 'en' },
  }),
  'get-book-record': ok(record),
  'get-book-dates': ok({ booking_dates: ['2026-12-01', '2026-12-03'], booking_days: { '12': [1, 3] }, working_dates: ['2026-12-01', '2026-12-02', '2026-12-03'], working_days: { '12': [1, 2, 3] } }),
  'get-book-times': ok([
    { time: '15:00', seance_length: 3600, sum_length: 3600, datetime: '2026-12-03T15:00:00+03:00' },
    { time: '15:15', seance_length: 3600, sum_length: 3600, datetime: '2026-12-03T15:15:00+03:00' },
  ]),
  'move-book-record': ok({ ...record, date: '2026-12-03 15:00:00', datetime: '2026-12-03T15:00:00+03:00', last_change_date: '2026-11-24T12:00:00+03:00', cancel_deadline: '2026-12-03T14:00:00+03:00', reschedule_deadline: '2026-12-03T13:00:00+03:00' }),
  'submit-review': ok({ is_review_submitted: true, master: { id: 48, rating: 4.81, votes_count: 26, comments_count: 10 } }),
};
