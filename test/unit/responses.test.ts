// The response models (lib/schemas/responses) are what docs/openapi.json documents, and the check
// every test's responses go through (test/helpers/response-check.ts) refuses whatever drifts from
// them: a field missing, a field extra, a field of another type, a status the document does not list.
import { readFileSync } from 'node:fs';
import { examples } from '../../lib/schemas/responses/examples.js';
import { answers } from '../../lib/schemas/responses/index.js';
import { checkResponse, ResponseDrift } from '../helpers/response-check.js';

const document = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'));
const route = 'GET /api/v1/user/records/{record_id}/{record_hash}';
const json = { 'content-type': 'application/json; charset=utf-8' };
const reply = (body: unknown, statusCode = 200) => ({ statusCode, headers: json, body: JSON.stringify(body) });
const record = () => structuredClone(examples['get-user-record']);

describe('the response models', () => {
  it.each(Object.keys(answers) as Array<keyof typeof answers>)('%s: the example of the document is valid for its model', (operation) => {
    expect(answers[operation].schema.safeParse(examples[operation]).error).toBeUndefined();
  });

  it("document the record with every field of the contract, its aliases and cabinet's own two", () => {
    const model = document.components.schemas.Record;
    expect(model.required).toEqual(
      expect.arrayContaining([
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
        'cancel_deadline',
        'can_cancel',
      ]),
    );
    expect(model.properties.company).toEqual({ $ref: '#/components/schemas/Location' });
    expect(document.components.schemas.Location.required).toContain('coordinate_lon');
    expect(document.components.schemas.RecordService.required).toEqual(expect.arrayContaining(['session_length', 'seance_length']));
    const operation = document.paths['/user/records/{record_id}/{record_hash}'].get;
    expect(operation.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/RecordReply' });
  });
});

describe('the check of every response', () => {
  it('passes a reply that is what the document says', () => {
    expect(() => checkResponse('get-user-record', route, reply(record()))).not.toThrow();
    expect(() =>
      checkResponse('get-user-record', route, reply({ success: false, data: null, meta: { message: 'Not found.' } }, 404)),
    ).not.toThrow();
  });

  it('fails a reply that lost a field, gained one, or changed a type', () => {
    const lost = record();
    delete (lost.data[0] as Partial<(typeof lost.data)[0]>).can_cancel;
    expect(() => checkResponse('get-user-record', route, reply(lost))).toThrow(/can_cancel/);
    const gained = record();
    Object.assign(gained.data[0]!.staff, { phone: '79160000000' });
    expect(() => checkResponse('get-user-record', route, reply(gained))).toThrow(ResponseDrift);
    const retyped = record();
    Object.assign(retyped.data[0]!, { deleted: 0 });
    expect(() => checkResponse('get-user-record', route, reply(retyped))).toThrow(/deleted/);
  });

  it('fails a status the document does not list for the route, and an error outside the envelope', () => {
    expect(() => checkResponse('get-user-record', route, reply(record(), 201))).toThrow(/lists only 200, 401, 404, 500, 503/);
    expect(() => checkResponse('get-user-record', route, reply({ message: 'Not Found' }, 404))).toThrow(ResponseDrift);
    expect(() =>
      checkResponse(
        'get-user-record',
        route,
        reply({ success: false, data: null, meta: { message: 'x', errors: [{ code: 99, message: 'x' }] } }, 404),
      ),
    ).toThrow(/code/);
  });
});
