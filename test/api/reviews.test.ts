// Reviews end to end: a visited-record webhook mints the link and asks for a review (a real event
// through the table's stream to a real subscriber); the form; one review per visit; the rating seen
// afterwards in the appointment's staff object. Real handlers on DynamoDB Local; the clock is moved.
import { startSubscriber } from '../helpers/subscriber.js';
import { given } from '../helpers/fixture.js';
import { request } from '../helpers/api.js';
import { partnerHeaders as partner } from '../helpers/sign-in.js';
import { companyEvent, recordEvent, serviceEvent, staffEvent } from '../helpers/altegio.js';
import { push } from '../helpers/webhook.js';
import { config } from '../../lib/config.js';
import { dynamo } from '../../lib/db/client.js';
import { StreamRelay } from '../../scripts/event-relay.js';
import * as deliver from '../../functions/deliver-events.js';

const subscriber = await startSubscriber();
const { time } = await given({
  env: { CABINET_EVENTS_URL: subscriber.url, CABINET_REVIEW_TOKEN_TTL_DAYS: '30' },
  clock: { stoppedAt: '2026-12-01T12:00:00Z' },
});

const relay = new StreamRelay(dynamo, config, deliver.handler);
afterAll(async () => {
  relay.close();
  await subscriber.close();
});

const requests = (id: number) => subscriber.deliveries.filter((d) => d.body.resource === 'review_request' && d.body.resource_id === id);
const reviewsOf = (id: number) => subscriber.deliveries.filter((d) => d.body.resource === 'review' && d.body.resource_id === id);
const form = (token: string, prefix = '/v1') => request('GET', `${prefix}/master_record_review/${token}`, { headers: partner });
const submit = (token: string, body: unknown) => request('POST', `/v1/master_record_review/${token}`, { headers: partner, body });

let lastChange = Date.parse('2026-12-01T10:00:00Z');
/** The record delivered again, visited, with a newer change date. */
async function markVisited(id: number, extra: Record<string, unknown> = {}) {
  lastChange += 60_000;
  return push(
    recordEvent(id, { visit_attendance: 1, attendance: 1, last_change_date: new Date(lastChange).toISOString(), ...extra }, 'update'),
  );
}

/** A visited appointment and the review link its request carried. */
async function visitedAppointment(id: number, staffId = 48): Promise<{ token: string; hash: string }> {
  const hash = (
    await push(
      recordEvent(id, { staff_id: staffId, staff: { id: staffId, name: 'x' }, last_change_date: new Date(lastChange).toISOString() }),
    )
  ).record_hash!;
  await markVisited(id, { staff_id: staffId, staff: { id: staffId, name: 'x' } });
  await relay.pollOnce();
  expect(requests(id)).toHaveLength(1);
  return { token: requests(id)[0]!.body.data.record_token, hash };
}

beforeAll(async () => {
  for (const event of [
    companyEvent(),
    staffEvent(48),
    serviceEvent(),
    staffEvent(49, { name: 'Boris', rating: 0, votes_count: 0, comments_count: 0 }),
  ])
    await push(event);
});

// Each refused case its own appointment (random ids collided now and then).
let refusedCases = 0;

describe('the review request', () => {
  it('is sent once the client came, with an unguessable link and the client phone, and only once', async () => {
    const id = 930001;
    await push(recordEvent(id, { last_change_date: new Date(lastChange).toISOString() }));
    await relay.pollOnce();
    expect(requests(id)).toHaveLength(0); // not visited yet

    const visited = recordEvent(
      id,
      { visit_attendance: 1, attendance: 1, last_change_date: new Date(lastChange + 60_000).toISOString() },
      'update',
    );
    await push(visited);
    await push(visited); // the same delivery again
    await markVisited(id); // and a newer one, still visited
    await relay.pollOnce();
    expect(requests(id)).toHaveLength(1);
    const [request0] = requests(id);
    expect(request0!.body).toEqual({
      company_id: 4564,
      resource: 'review_request',
      resource_id: id,
      status: 'create',
      data: {
        record_id: id,
        record_token: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
        phone: '79161234567',
        links: { review: expect.any(String) },
      },
    });
    // The page a customer opens in a browser (docs/contract.md section 10).
    expect(request0!.body.data.links.review).toBe(`${config.publicUrl}/review/${request0!.body.data.record_token}`);
  });

  it('mints a different link for every visit', async () => {
    const a = await visitedAppointment(930002);
    const b = await visitedAppointment(930003);
    expect(a.token).not.toBe(b.token);
  });
});

describe('the feedback form', () => {
  it('shows the visit, the team member, the location and its currency, not yet reviewed', async () => {
    const { token } = await visitedAppointment(930010);
    for (const prefix of ['/v1', '/api/v1']) {
      const response = await form(token, prefix);
      expect(response.status).toBe(200);
      expect(response.body.data).toEqual({
        is_review_submitted: false,
        page_title: 'Barbershop on Tverskaya: how was your visit?',
        favicon_url: '',
        master: {
          id: 48,
          name: 'Anna Petrova',
          company_id: 4564,
          specialization: 'Senior barber',
          rating: 4.8,
          show_rating: 1,
          avatar: 'https://img.example/anna.png',
          position: { id: 7, title: 'Barber' },
        },
        company: { id: 4564, title: 'Barbershop on Tverskaya', logo: '', address: 'Tverskaya 1' },
        record: { id: 930010, payed_cost: 1800, date: '2026-12-01T14:00:00+03:00' },
        currency: { id: 0, iso: 'RUB', name: 'Russian Ruble', symbol: '₽', is_symbol_after_amount: false },
        tips: [],
        agreement_links: { terms_of_use: '', confidentiality_agreement: '' },
        language: { id: 1, locale: 'en-US', iso: 'en' },
      });
    }
  });

  it('gives 404 for an unknown, malformed or expired link, and 401 without a partner', async () => {
    const { token } = await visitedAppointment(930011);
    expect((await form('A'.repeat(22))).status).toBe(404);
    expect((await form('short')).status).toBe(404);
    expect((await form('../../etc')).status).toBe(404);
    expect((await request('GET', `/v1/master_record_review/${token}`)).status).toBe(401);
    time.advance(30 * 24 * 3600_000 - 1);
    expect((await form(token)).status).toBe(200);
    time.advance(1);
    expect((await form(token)).status).toBe(404);
    expect((await submit(token, { rating: 5 })).status).toBe(404);
    time.advance(-(30 * 24 * 3600_000));
  });
});

describe('submitting a review', () => {
  it('stores it, moves the rating everywhere it shows, and tells other services', async () => {
    const { token, hash } = await visitedAppointment(930020);
    const body = { rating: 5, text: 'Great haircut', tips_amount: 150.5, redirect_prefix: 'https://salon.example/thanks' };
    const response = await submit(token, body);
    expect(response.status).toBe(200);
    // Mean over every vote: (4.8 × 25 + 5) / 26 = 4.8077…
    expect(response.body).toEqual({
      success: true,
      data: { is_review_submitted: true, master: { id: 48, rating: 4.81, votes_count: 26, comments_count: 10 } },
      meta: [],
    });

    expect((await form(token)).body.data).toMatchObject({ is_review_submitted: true, master: { rating: 4.81 } });
    const appointment = (await request('GET', `/v1/user/records/930020/${hash}`, { headers: partner })).body.data[0];
    expect(appointment.staff).toMatchObject({ id: 48, rating: 4.81, votes_count: 26, comments_count: 10 });

    await relay.pollOnce();
    expect(reviewsOf(930020)).toHaveLength(1);
    expect(reviewsOf(930020)[0]!.body).toEqual({
      company_id: 4564,
      resource: 'review',
      resource_id: 930020,
      status: 'create',
      data: { record_id: 930020, staff_id: 48, ...body, submitted_at: '2026-12-01T15:00:00+03:00' },
    });
  });

  it('takes one review per visit: the second is 1006', async () => {
    const { token } = await visitedAppointment(930021, 49);
    expect((await submit(token, { rating: 4 })).status).toBe(200);
    const again = await submit(token, { rating: 1, text: 'changed my mind' });
    expect(again.status).toBe(422);
    expect(again.body.meta.errors).toEqual([{ code: 1006, message: 'The review of this visit has already been submitted.' }]);
  });

  it('lets exactly one of 8 submissions at once win, and counts one vote', async () => {
    await push(staffEvent(52, { name: 'Gleb', rating: 0, votes_count: 0, comments_count: 0 }));
    const { token, hash } = await visitedAppointment(930022, 52);
    const responses = await Promise.all(Array.from({ length: 8 }, (_, i) => submit(token, { rating: (i % 5) + 1, text: `take ${i}` })));
    expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 422 && r.body.meta.errors[0].code === 1006)).toHaveLength(7);
    const winner = responses.find((r) => r.status === 200)!.body.data.master;
    expect(winner).toMatchObject({ id: 52, votes_count: 1, comments_count: 1 });
    const appointment = (await request('GET', `/v1/user/records/930022/${hash}`, { headers: partner })).body.data[0];
    expect(appointment.staff).toMatchObject({ id: 52, votes_count: 1, rating: winner.rating });
    await relay.pollOnce();
    expect(reviewsOf(930022)).toHaveLength(1);
    expect(reviewsOf(930022)[0]!.body.data.rating).toBe(winner.rating);
  });

  it('keeps the cabinet votes when the platform later delivers the team member again', async () => {
    const { token } = await visitedAppointment(930023, 50);
    await push(staffEvent(50, { name: 'Vera', rating: 4, votes_count: 1, comments_count: 0, last_change_date: '2026-12-01T09:00:00Z' }));
    expect((await submit(token, { rating: 2 })).body.data.master).toEqual({ id: 50, rating: 3, votes_count: 2, comments_count: 0 });
    await push(staffEvent(50, { name: 'Vera P.', rating: 5, votes_count: 3, comments_count: 1, last_change_date: '2026-12-01T11:00:00Z' }));
    // (5 × 3 + 2) / 4 = 4.25: the platform's new numbers and the cabinet's vote, together.
    expect((await form(token)).body.data.master).toMatchObject({ name: 'Vera P.', rating: 4.25 });
  });

  it.each([
    ['no rating', {}, 1001, /^rating: /],
    ['a rating that is no number', { rating: 'five' }, 1001, /^rating: /],
    ['rating 0', { rating: 0 }, 1007, /^rating: must be a whole number from 1 to 5$/],
    ['rating 6', { rating: 6 }, 1007, /^rating: /],
    ['rating 4.5', { rating: 4.5 }, 1007, /^rating: /],
    ['a text of 1001 characters', { rating: 5, text: 'x'.repeat(1001) }, 1001, /^text: /],
    ['negative tips', { rating: 5, tips_amount: -1 }, 1001, /^tips_amount: /],
    ['a javascript: redirect', { rating: 5, redirect_prefix: 'javascript:alert(1)' }, 1001, /^redirect_prefix: /],
    ['a redirect that is no URL', { rating: 5, redirect_prefix: 'not a url' }, 1001, /^redirect_prefix: /],
  ] as const)('refuses %s with %i, and takes no vote', async (_label, body, code, message) => {
    const { token } = await visitedAppointment(930100 + ++refusedCases, 49);
    const response = await submit(token, body);
    expect(response.status).toBe(422);
    expect(response.body.meta.errors[0]).toMatchObject({ code, message: expect.stringMatching(message) });
    expect((await form(token)).body.data.is_review_submitted).toBe(false);
  });

  it('accepts a rating sent as a string, as HTML forms send it, and counts no comment for no text', async () => {
    await push(staffEvent(51, { name: 'Dina', rating: 4, votes_count: 2, comments_count: 2 }));
    const { token } = await visitedAppointment(930024, 51);
    const response = await submit(token, { rating: '3', text: '   ' });
    expect(response.status).toBe(200);
    // (4 × 2 + 3) / 3 = 3.67; a blank text is no comment.
    expect(response.body.data.master).toEqual({ id: 51, rating: 3.67, votes_count: 3, comments_count: 2 });
  });

  it('answers without a team member for a visit whose team member was never delivered', async () => {
    const { token } = await visitedAppointment(930025, 53);
    const response = await submit(token, { rating: 5 });
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ is_review_submitted: true, master: null });
  });
});
