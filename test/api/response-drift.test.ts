// The response check sits in the request path of every test: here the real handler's record view is
// made to drift (the cancellation rules answer a number where the document says an ISO string), and
// a plain request for the appointment fails, naming the field, although the handler answered 200.
import { jest } from '@jest/globals';
import { given } from '../helpers/fixture.js';
import { invoke, request } from '../helpers/api.js';
import { ResponseDrift } from '../helpers/response-check.js';
import { companyEvent, recordEvent } from '../helpers/altegio.js';
import { push } from '../helpers/webhook.js';
import { partnerHeaders } from '../helpers/sign-in.js';

jest.unstable_mockModule('../../lib/domain/cancellation.js', () => ({
  cancelState: () => ({ deadline: Date.parse('2026-12-01T10:00:00Z'), refusal: null }),
  cancelRefusal: () => null,
}));

await given();

describe('a reply that drifts from the document', () => {
  it('fails the test that receives it, through request() and invoke() alike', async () => {
    await push(companyEvent());
    const { record_hash: hash } = await push(recordEvent(770001));
    const url = `/v1/user/records/770001/${hash}`;
    await expect(request('GET', url, { headers: partnerHeaders })).rejects.toThrow(ResponseDrift);
    await expect(invoke('GET', url, { headers: partnerHeaders })).rejects.toThrow(/answered 200: the body drifts[\s\S]*cancel_deadline/);
  });
});
