// Errors name themselves (logs tell them apart by `name`, which a bundler would otherwise rename),
// keep what they replace as `cause`, and become the contract's envelope in one place: HTTP errors as
// themselves, a failure of Altegio (a transport error, not an HTTP one) as a 503 with Retry-After.
import * as altegio from '../../lib/altegio/errors.js';
import { AltegioShapeError } from '../../lib/domain/altegio.js';
import * as http from '../../lib/errors.js';
import { toEnvelope } from '../../lib/http/errors.js';

const httpErrors = {
  HttpError: () => new http.HttpError(418, 'teapot'),
  BadRequest: () => new http.BadRequest('bad'),
  Unauthorized: () => new http.Unauthorized(),
  Forbidden: () => new http.Forbidden(),
  NotFound: () => new http.NotFound(),
  Unprocessable: () => new http.Unprocessable([{ code: 1001, message: 'name: required' }]),
  TooManyRequests: () => new http.TooManyRequests(5),
  BadGateway: () => new http.BadGateway('gateway down'),
  ServiceUnavailable: () => new http.ServiceUnavailable('later', 1),
  PayloadTooLarge: () => new http.PayloadTooLarge(1024),
};

const altegioErrors = {
  AltegioUnreachable: () => new altegio.AltegioUnreachable('GET /company/:id: network error', undefined),
  AltegioThrottled: () => new altegio.AltegioThrottled('GET /company/:id: 429', 429, 12),
  AltegioAuthRevoked: () => new altegio.AltegioAuthRevoked('POST /auth: 401', 401),
  AltegioNotConfigured: () => new altegio.AltegioNotConfigured('no password', undefined),
  AltegioRefused: () => new altegio.AltegioRefused('GET /company/:id: 403', 403, 'licence'),
  AltegioNotFound: () => new altegio.AltegioNotFound('GET /record/:id/:id: 404', 404),
  AltegioRejected: () => new altegio.AltegioRejected('PUT /client/:id/:id: 422', 422),
  AltegioBusy: () => new altegio.AltegioBusy('budget full', undefined, 2),
};

function envelopeOf(error: unknown) {
  const result = toEnvelope(error);
  return { status: result.statusCode, headers: result.headers ?? {}, body: JSON.parse(String(result.body)) };
}

describe('error classes', () => {
  it.each(Object.entries({ ...httpErrors, ...altegioErrors }))('%s names itself', (name, make) => {
    const error = make();
    expect(error.name).toBe(name);
    expect(String(error)).toMatch(new RegExp(`^${name}: `));
  });

  it('name themselves outside lib/errors.ts too', () => {
    expect(new AltegioShapeError('record 1: no date').name).toBe('AltegioShapeError');
  });

  it('keep the error they replace as cause', () => {
    const original = new TypeError('socket hang up');
    expect(new http.ServiceUnavailable('later', 1, { cause: original }).cause).toBe(original);
    expect(new http.NotFound({ cause: original }).cause).toBe(original);
    expect(new http.Unprocessable([{ code: 1001, message: 'x' }], { cause: original }).cause).toBe(original);
    const unreachable = new altegio.AltegioUnreachable('GET /company/:id: network error', undefined, undefined, { cause: original });
    expect(unreachable.cause).toBe(original);
  });

  it.each(Object.entries(altegioErrors))('%s is a transport error, not an HTTP answer', (_name, make) => {
    const error = make();
    expect(error).toBeInstanceOf(http.UpstreamError);
    for (const make of Object.values(httpErrors)) expect(error).not.toBeInstanceOf(make().constructor);
    expect(error).not.toHaveProperty('status');
    expect(error).not.toHaveProperty('headers');
  });
});

describe('the one mapping of errors to the envelope', () => {
  it('answers an HTTP error as itself', () => {
    const notFound = envelopeOf(new http.NotFound());
    expect(notFound).toMatchObject({ status: 404, body: { success: false, data: null, meta: { message: 'Not found.' } } });
    expect(envelopeOf(new http.Unprocessable([{ code: 1004, message: 'No.' }]))).toMatchObject({
      status: 422,
      body: { success: false, data: null, meta: { message: 'No.', errors: [{ code: 1004, message: 'No.' }] } },
    });
    const limited = envelopeOf(new http.TooManyRequests(4.2));
    expect(limited.headers).toMatchObject({ 'retry-after': '5', 'content-type': 'application/json; charset=utf-8' });
  });

  it('answers every Altegio failure, a not-found at Altegio too, with 503 and Retry-After, never its detail', () => {
    for (const make of Object.values(altegioErrors)) {
      const error = make();
      const answer = envelopeOf(error);
      expect(answer.status).toBe(503);
      expect(answer.headers['retry-after']).toBe(String(Math.max(1, Math.ceil(error.retryAfterS))));
      const message = "The salon's booking system is not available right now. Please try again later.";
      expect(answer.body).toEqual({ success: false, data: null, meta: { message } });
    }
    expect(envelopeOf(new altegio.AltegioThrottled('x', 429, 12)).headers['retry-after']).toBe('12');
    expect(envelopeOf(new altegio.AltegioNotFound('x', 404)).headers['retry-after']).toBe('30');
  });

  it('answers anything else with the generic 500, saying nothing of it', () => {
    const answer = envelopeOf(new TypeError('secret detail'));
    expect(answer).toMatchObject({ status: 500, body: { success: false, data: null, meta: { message: 'Internal error.' } } });
    expect(JSON.stringify(answer.body)).not.toContain('secret');
  });
});
