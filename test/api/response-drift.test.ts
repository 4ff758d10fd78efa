// The response check sits in the request path of every test: here the real handler's record view is
// made to drift (the cancellation rules answer a number where the document says an ISO string), and
// a plain request for the appointment fails, naming the field, although the handler answered 200.
import { jest } from '@jest/globals';
import { useFreshTable } from '../helpers/table.js';

jest.unstable_mockModule('../../lib/domain/cancellation.js', () => ({
  cancelState: () => ({ deadline: Date.parse('2026-12-01T10:00:00Z'), refusal: null }),
  cancelRefusal: () => null,
}));

await useFreshTable();
const { invoke, request } = await import('../helpers/api.js');
const { ResponseDrift } = await import('../helpers/response-check.js');
const { companyEvent, recordEvent } = await import('../helpers/altegio.js');
const { push } = await import('../helpers/webhook.js');
const { partnerHeaders } = await import('../helpers/sign-in.js');

describe('a reply that drifts from the document', () => {
  it('fails the test that receives it, through request() and invoke() alike', async () => {
    await push(companyEvent());
    const { record_hash: hash } = await push(recordEvent(770001));
    const url = `/v1/user/records/770001/${hash}`;
    await expect(request('GET', url, { headers: partnerHeaders })).rejects.toThrow(ResponseDrift);
    await expect(invoke('GET', url, { headers: partnerHeaders })).rejects.toThrow(/answered 200: the body drifts[\s\S]*cancel_deadline/);
  });
});
