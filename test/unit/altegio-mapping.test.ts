// Altegio's B2B objects mapped to what cabinet stores, on samples shaped as
// Altegio's own (string numbers, `[]` objects, the wrong offset).
import {
  AltegioShapeError,
  clientDocOf,
  companyDocOf,
  recordChangeOf,
  recordDocOf,
  rulesRevealed,
  serviceDocOf,
  staffDocOf,
  wallClockOf,
  zonedIso,
} from '../../lib/domain/altegio.js';

// P7.4, verbatim but for the elided avatar and link strings.
const record = {
  id: 596792980,
  company_id: 4564,
  staff_id: 9,
  services: [{ id: 1, title: 'Haircut', cost: '100', first_cost: 100, discount: 0, amount: 1 }],
  staff: {
    id: 9,
    name: 'Alex',
    specialization: 'stylist',
    position: { id: 1, title: 'Master' },
    avatar: 'a',
    avatar_big: 'b',
    rating: 4.8,
    votes_count: 12,
  },
  client: { id: 18936825, name: 'Ann', phone: '+13155550175', email: 'ann@example.com' },
  clients_count: 1,
  date: '2026-12-01 14:00:00',
  datetime: '2026-12-01T14:00:00+01:00',
  create_date: '2026-11-20T10:00:00+0100',
  comment: '',
  visit_attendance: 0,
  attendance: 0,
  confirmed: 1,
  seance_length: 3600,
  length: 3600,
  sms_remain_hours: 2,
  email_remain_hours: 24,
  master_request: 1,
  api_id: '',
  online: true,
  visit_id: 8263004,
  deleted: false,
  prepaid: false,
  prepaid_confirmed: false,
  last_change_date: '2026-11-20T10:00:05+0100',
  short_link: 'https://x',
  activity_id: 0,
  documents: [],
};

// P7.7: `GET /company/4564`, and the rules of `GET /companies?id=4564&my=1`.
const company = {
  id: 4564,
  title: 'Salon',
  country_id: 1,
  country: 'Serbia',
  city_id: 2,
  city: 'Belgrade',
  timezone: 1,
  timezone_name: 'Europe/Belgrade',
  address: 'Knez Mihailova 1',
  zip: '11000',
  coordinate_lat: 44.8176,
  coordinate_lon: 20.4569,
  site: 'https://salon.test',
  phone: '+381111234567',
  phones: [],
  currency_short_title: 'EUR',
  phone_confirmation: true,
  active_staff_count: 2,
};
const rules = {
  ...company,
  allow_delete_record: true,
  allow_change_record: true,
  allow_delete_record_delay_step: 18000,
  allow_change_record_delay_step: 10800,
};

// P7.8 and P7.9.
const staff = {
  id: 9,
  api_id: null,
  name: 'Alex',
  specialization: 'stylist',
  position: { id: 1, title: 'Master' },
  show_rating: 1,
  rating: 4.8,
  votes_count: 12,
  comments_count: 7,
  avatar: 'a',
  avatar_big: 'b',
  weight: '10',
  hidden: '0',
  fired: '0',
  status: '0',
};
const service = {
  id: '1',
  salon_service_id: '322888',
  title: 'Haircut',
  category_id: '4',
  price_min: '1000.00',
  price_max: '1200.00',
  discount: '0',
  active: '1',
  api_id: '',
  staff: [{ id: '9', seance_length: '3600' }],
};

describe('mapping Altegio objects', () => {
  it("a location, with its cancel rules from the list endpoint and its longitude under cabinet's name", () => {
    expect(companyDocOf(company, rules)).toEqual({
      id: 4564,
      title: 'Salon',
      country_id: 1,
      country: 'Serbia',
      country_code: 'RS',
      city_id: 2,
      city: 'Belgrade',
      timezone: 1,
      timezone_name: 'Europe/Belgrade',
      address: 'Knez Mihailova 1',
      phone: '+381111234567',
      phones: ['+381111234567'],
      coordinate_lat: 44.8176,
      coordinate_lng: 20.4569,
      allow_delete_record: true,
      allow_change_record: true,
      site: 'https://salon.test',
      logo: '',
      currency_short_title: 'EUR',
      allow_change_record_delay_step: 10800,
      allow_delete_record_delay_step: 18000,
      group_id: null,
    });
    expect(rulesRevealed(rules)).toBe(true);
  });

  it('a location whose rules Altegio does not reveal may not be cancelled at', () => {
    expect(rulesRevealed(company)).toBe(false);
    expect(companyDocOf(company, company)).toMatchObject({ allow_delete_record: false, allow_delete_record_delay_step: 0 });
    expect(companyDocOf({ ...company, main_group_id: '77', allow_delete_record: '1' }, [])).toMatchObject({
      allow_delete_record: true,
      group_id: 77,
    });
  });

  it('a team member and a service, numbers given as strings', () => {
    expect(staffDocOf(staff)).toEqual({
      id: 9,
      name: 'Alex',
      specialization: 'stylist',
      position: { id: 1, title: 'Master' },
      show_rating: 1,
      rating: 4.8,
      votes_count: 12,
      comments_count: 7,
      avatar: 'a',
    });
    expect(staffDocOf({ ...staff, position: [], rating: '4.50', votes_count: '3' })).toMatchObject({
      position: { id: 0, title: '' },
      rating: 4.5,
      votes_count: 3,
    });
    expect(serviceDocOf(service)).toEqual({ id: 1, title: 'Haircut', price_min: 1000, price_max: 1200, discount: 0, seance_length: 3600 });
    expect(
      serviceDocOf(
        {
          ...service,
          staff: [
            { id: '3', seance_length: '1800' },
            { id: '9', seance_length: '2700' },
          ],
        },
        9,
      ).seance_length,
    ).toBe(2700);
    expect(clientDocOf({ id: '18936825', name: 'Ann', phone: '+13155550175', email: null })).toEqual({
      id: 18936825,
      name: 'Ann',
      phone: '+13155550175',
      email: '',
    });
  });

  it("a record: the string cost as a number, Altegio's field names as cabinet's, prices and lengths from the catalogue", () => {
    const doc = recordDocOf(record, companyDocOf(company, rules), { services: [serviceDocOf(service)], staff: staffDocOf(staff) });
    expect(doc).toEqual({
      id: 596792980,
      company_id: 4564,
      staff_id: 9,
      staff: staffDocOf(staff),
      services: [{ id: 1, title: 'Haircut', cost: 100, price_min: 1000, price_max: 1200, discount: 0, amount: 1, seance_length: 3600 }],
      client: { id: 18936825, name: 'Ann', phone: '+13155550175', email: 'ann@example.com' },
      clients_count: 1,
      date: '2026-12-01 14:00:00',
      datetime: '2026-12-01T14:00:00+01:00',
      create_date: '2026-11-20T10:00:00+0100',
      length: 3600,
      deleted: false,
      notify_by_sms: 2,
      notify_by_email: 24,
      comment: '',
      master_requested: true,
      online: true,
      visit_attendance: 0,
      api_id: '',
      last_change_date: '2026-11-20T10:00:05+0100',
      prepaid: false,
      prepaid_confirmed: false,
      activity_id: 0,
    });
    // Without the catalogue: what the record itself says.
    expect(recordDocOf(record, company).staff).toMatchObject({ id: 9, name: 'Alex', show_rating: 0, comments_count: 0 });
  });

  it("a record's start: the local date in the location's zone decides, not the offset Altegio wrote", () => {
    // Summer in Belgrade is +02:00; Altegio wrote +01:00 (a quirk Altegio has).
    const summer = { ...record, date: '2026-07-01 14:00:00', datetime: '2026-07-01T14:00:00+01:00' };
    expect(recordDocOf(summer, company).datetime).toBe('2026-07-01T14:00:00+02:00');
    const moscow = recordDocOf(
      { ...record, company_id: '4565', datetime: '2026-12-03T10:30:00+01:00', date: '2026-12-03 10:30:00' },
      { timezone_name: 'Europe/Moscow' },
    );
    expect(moscow.datetime).toBe('2026-12-03T10:30:00+03:00');
    expect(moscow.company_id).toBe(4565);
    // The docs' other `date` format (A8): an ISO time, its wall clock read.
    expect(recordDocOf({ ...record, date: '2026-09-21T23:00:00.000-05:00' }, { timezone_name: 'America/Chicago' }).datetime).toBe(
      '2026-09-21T23:00:00-05:00',
    );
    // A zone the runtime does not know: the offset Altegio wrote is all there is.
    expect(recordDocOf(record, { timezone_name: 'Mars/Olympus' }).datetime).toBe('2026-12-01T14:00:00+01:00');
    expect(() => recordDocOf({ ...record, date: 'soon', datetime: '' }, company)).toThrow(AltegioShapeError);
  });

  it('places wall-clock times around DST changes', () => {
    expect(zonedIso('2026-03-29 01:30:00', 'Europe/Belgrade')).toBe('2026-03-29T01:30:00+01:00');
    expect(zonedIso('2026-03-29 03:30:00', 'Europe/Belgrade')).toBe('2026-03-29T03:30:00+02:00');
    expect(zonedIso('2026-10-25 04:00:00', 'Europe/Belgrade')).toBe('2026-10-25T04:00:00+01:00');
    expect(zonedIso('2026-12-01 14:00:00', 'Asia/Kolkata')).toBe('2026-12-01T14:00:00+05:30');
    expect(wallClockOf('2026-12-01T14:00')).toBe('2026-12-01 14:00:00');
  });

  it('a record as the versioned change ingest stores: its owner by phone and start in UTC; deleted ones leave the view', () => {
    const change = recordChangeOf({ ...record, date: '2026-07-01 14:00:00' }, company, 'RS');
    expect(change).toMatchObject({ kind: 'record', id: 596792980, companyId: 4564, version: Date.parse('2026-11-20T09:00:05Z') });
    expect(change.owner).toEqual({ phone: '13155550175', startsAt: '2026-07-01T12:00:00.000Z' });
    expect(recordChangeOf({ ...record, deleted: true }, company, 'RS')).toEqual({
      kind: 'record',
      id: 596792980,
      companyId: 4564,
      version: Date.parse('2026-11-20T09:00:05Z'),
      doc: null,
    });
    expect(() => recordChangeOf({ ...record, last_change_date: '' }, company, 'RS')).toThrow(/no last_change_date/);
    expect(() => recordDocOf({ ...record, id: 'abc' }, company)).toThrow(/record.id/);
  });
});
