// A complete delivery of each resource the webhook takes, for the reference page and
// docs/webhooks.md. Sent in this order they make one location with a team member, a service, a
// client and that client's appointment; test/unit/webhook-doc.test.ts runs each through the
// webhook's own validator, so an example that drifts from the schema fails there.
const companyId = 4564;

export const webhookExamples = {
  company: {
    company_id: companyId, resource: 'company', resource_id: companyId, status: 'update',
    data: {
      id: companyId, title: 'Barbershop on Tverskaya', public_title: 'Barbershop', country_id: 1, country: 'Russia', country_code: 'RU',
      city_id: 2, city: 'Moscow', timezone: 3, timezone_name: 'Europe/Moscow', address: 'Tverskaya 1', phone: '+74951234567',
      phones: ['+74951234567', '+74957654321'], coordinate_lat: 55.757, coordinate_lon: 37.613, site: 'https://barber.example',
      logo: 'https://img.example/logo.png', currency_short_title: 'RUB', allow_delete_record: true, allow_delete_record_delay_step: 3600,
      allow_change_record: true, allow_change_record_delay_step: 7200, group_id: null, timeslot_step: 900, last_change_date: '2026-11-20T10:00:00+03:00',
    },
  },
  staff: {
    company_id: companyId, resource: 'staff', resource_id: 48, status: 'update',
    data: {
      id: 48, name: 'Anna Petrova', specialization: 'Senior barber', position: { id: 7, title: 'Barber' }, show_rating: 1,
      rating: 4.8, votes_count: 25, comments_count: 9, avatar: 'https://img.example/anna.png', last_change_date: '2026-11-20T10:00:00+03:00',
    },
  },
  service: {
    company_id: companyId, resource: 'service', resource_id: 331, status: 'update',
    data: { id: 331, title: "Men's haircut", price_min: 1500, price_max: 2000, discount: 0, seance_length: 3600, last_change_date: '2026-11-20T10:00:00+03:00' },
  },
  client: {
    company_id: companyId, resource: 'client', resource_id: 9001, status: 'update',
    data: { id: 9001, name: 'Ivan Ivanov', phone: '+79161234567', email: 'ivan@example.com', last_change_date: '2026-11-20T10:00:00+03:00' },
  },
  record: {
    company_id: companyId, resource: 'record', resource_id: 596792980, status: 'create',
    data: {
      id: 596792980, staff_id: 48,
      staff: { id: 48, name: 'Anna Petrova', specialization: 'Senior barber', position: { id: 7, title: 'Barber' }, avatar: 'https://img.example/anna.png', rating: 4.8, votes_count: 25 },
      services: [{ id: 331, title: "Men's haircut", cost: 1800, price_min: 1500, price_max: 2000, discount: 10, amount: 1, seance_length: 3600 }],
      client: { id: 9001, name: 'Ivan Ivanov', phone: '+79161234567', email: 'ivan@example.com' },
      clients_count: 1, date: '2026-12-01 14:00:00', datetime: '2026-12-01T14:00:00+03:00', create_date: '2026-11-20 10:00:00',
      length: 3600, deleted: false, notify_by_sms: 2, notify_by_email: 24, comment: 'window seat', master_requested: true,
      online: true, visit_attendance: 0, api_id: 'ext-77', prepaid: false, prepaid_confirmed: false, activity_id: 0,
      last_change_date: '2026-11-20T10:00:00+03:00',
    },
  },
  schedule: {
    company_id: companyId, resource: 'schedule', resource_id: 48, status: 'update',
    data: {
      staff_id: 48,
      dates: [
        { date: '2026-12-01', is_working: 1, slots: [{ from: '10:00', to: '14:00' }, { from: '15:00', to: '19:00' }] },
        { date: '2026-12-02', is_working: 0, slots: [] },
      ],
      last_change_date: '2026-11-20T10:00:00+03:00',
    },
  },
  'record-delete': {
    company_id: companyId, resource: 'record', resource_id: 596792980, status: 'delete',
    data: { last_change_date: '2026-11-21T09:30:00+03:00' },
  },
  other: { company_id: companyId, resource: 'goods', resource_id: 77, status: 'update', data: { title: 'Shampoo' } },
};

export type WebhookExampleName = keyof typeof webhookExamples;
