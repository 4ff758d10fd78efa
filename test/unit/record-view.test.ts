import { changeOf } from '../../lib/domain/entities.js';
import type { CompanyDoc, RecordDoc, ServiceDoc, StaffDoc } from '../../lib/domain/entities.js';
import { recordView } from '../../lib/domain/record-view.js';
import { webhookBody } from '../../lib/schemas/webhook.js';
import { companyEvent, recordEvent, serviceEvent, staffEvent } from '../helpers/altegio.js';

function docOf<D>(event: unknown): D {
  return changeOf(webhookBody.parse(event), 0, 'RU')!.doc as D;
}

const record = docOf<RecordDoc>(recordEvent());
const company = docOf<CompanyDoc>(companyEvent());
const staff = docOf<StaffDoc>(staffEvent());
const service = docOf<ServiceDoc>(serviceEvent());

// docs/contract.md section 4, primary names and aliases.
const recordFields = [
  'id',
  'services',
  'location',
  'company',
  'staff',
  'clients_count',
  'date',
  'datetime',
  'create_date',
  'length',
  'seance_length',
  'deleted',
  'notify_by_sms',
  'notify_by_email',
  'comment',
  'master_requested',
  'online',
  'visit_attendance',
  'attendance',
  'api_id',
  'last_change_date',
  'prepaid',
  'prepaid_confirmed',
  'activity_id',
  // Beyond the contract (documented): when the appointment can be cancelled until.
  'cancel_deadline',
  'can_cancel',
  'reschedule_deadline',
  'can_reschedule',
];
const serviceFields = ['id', 'title', 'cost', 'price_min', 'price_max', 'discount', 'amount', 'session_length', 'seance_length'];
const locationFields = [
  'id',
  'title',
  'country_id',
  'country',
  'city_id',
  'city',
  'timezone',
  'address',
  'phone',
  'phones',
  'coordinate_lat',
  'coordinate_lng',
  'coordinate_lon',
  'allow_delete_record',
  'allow_change_record',
  'site',
  'currency_short_title',
  'allow_change_record_delay_step',
  'allow_delete_record_delay_step',
];
const staffFields = ['id', 'name', 'specialization', 'position', 'show_rating', 'rating', 'votes_count', 'comments_count', 'avatar'];

const now = Date.parse('2026-11-23T12:00:00Z');

describe('record view', () => {
  const view = recordView(record, { company, staff, services: new Map([[331, service]]) }, now);

  it('has every field of the contract, and nothing more', () => {
    expect(Object.keys(view).sort()).toEqual([...recordFields].sort());
    expect(Object.keys(view.services[0]!).sort()).toEqual([...serviceFields].sort());
    expect(Object.keys(view.location).sort()).toEqual([...locationFields].sort());
    expect(Object.keys(view.staff).sort()).toEqual([...staffFields].sort());
  });

  it('gives aliases the same values as the primary names', () => {
    expect(view.company).toEqual(view.location);
    expect(view.attendance).toBe(view.visit_attendance);
    expect(view.seance_length).toBe(view.length);
    expect(view.location.coordinate_lon).toBe(view.location.coordinate_lng);
    expect(view.services[0]!.seance_length).toBe(view.services[0]!.session_length);
  });

  it("folds Altegio's alternative spellings into the contract's names", () => {
    expect(view.master_requested).toBe(true); // master_request: 1
    expect(view.notify_by_sms).toBe(2); // sms_remain_hours
    expect(view.notify_by_email).toBe(24); // email_remain_hours
    expect(view.location.coordinate_lng).toBe(37.613); // coordinate_lon
    expect(view.location.phones).toEqual(['+74951234567', '+74957654321']);
  });

  it("joins the record's line (cost, discount, amount) with the catalogue (title, price range, length)", () => {
    expect(view.services).toEqual([
      {
        id: 331,
        title: "Men's haircut",
        cost: 1800,
        price_min: 1500,
        price_max: 2000,
        discount: 10,
        amount: 1,
        session_length: 3600,
        seance_length: 3600,
      },
    ]);
  });

  it("shows the team member's own object, with its current rating, over the record's snapshot", () => {
    expect(view.staff).toEqual({
      id: 48,
      name: 'Anna Petrova',
      specialization: 'Senior barber',
      position: { id: 7, title: 'Barber' },
      show_rating: 1,
      rating: 4.8,
      votes_count: 25,
      comments_count: 9,
      avatar: 'https://img.example/anna.png',
    });
  });

  it('falls back to what the record carries when location, team member or service are unknown', () => {
    const bare = recordView(record, { company: null, staff: null, services: new Map() }, now);
    expect(bare.staff).toMatchObject({ id: 48, name: 'Anna P.', position: { id: 0, title: '' }, rating: 4, votes_count: 1 });
    expect(bare.services[0]).toMatchObject({ title: 'Haircut', cost: 1800, price_min: 1800, price_max: 1800 });
    expect(bare.location).toMatchObject({ id: 4564, title: '', phones: [], allow_delete_record: false });
  });

  it("gives a record's only service the record's length when nothing else tells it", () => {
    const sole = recordView(record, { company: null, staff: null, services: new Map() }, now);
    expect(sole.services[0]).toMatchObject({ session_length: 3600, seance_length: 3600 });
    const two = docOf<RecordDoc>(
      recordEvent(2, {
        services: [
          { id: 1, cost: 1 },
          { id: 2, cost: 2 },
        ],
      }),
    );
    const view2 = recordView(two, { company: null, staff: null, services: new Map() }, now);
    expect(view2.services.map((s) => s.session_length)).toEqual([0, 0]);
  });

  it('derives the local date from datetime when the sender gives none', () => {
    const event = recordEvent(1, { date: undefined, datetime: '2026-03-29T02:30:00+02:00' });
    expect(docOf<RecordDoc>(event).date).toBe('2026-03-29 02:30:00');
  });
});
