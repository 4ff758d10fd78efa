// The rules in lib/domain say no by returning a refusal (a contract code and its sentence), never by
// throwing an HTTP error; the use case that asked turns it into the 422 the contract shows.
import { wrongCode } from '../../lib/domain/codes.js';
import { checkPhone } from '../../lib/domain/phone.js';
import { checkPossibleSmsPhone, checkSmsPhone } from '../../lib/domain/sms-phone.js';
import { Unprocessable, refused, unlessRefused } from '../../lib/errors.js';
import { toEnvelope } from '../../lib/http/errors.js';

describe('a domain rule', () => {
  it('returns its refusal instead of throwing', () => {
    expect(() => checkPhone('12', 'RU')).not.toThrow();
    expect(checkPhone('12', 'RU')).toEqual({ refused: 431, message: 'phone: not a valid phone number' });
    expect(checkPossibleSmsPhone('+1 2')).toEqual({ refused: 431, message: 'phone: not a mobile number that can receive SMS' });
    const notMobile = { refused: 431, message: 'phone: not a mobile number that can receive SMS' };
    expect(checkSmsPhone('+44 20 7946 0958', 'GB', ['GB'])).toEqual(notMobile);
    const foreign = { refused: 431, message: 'phone: SMS codes are sent only to numbers of RU, KZ' };
    expect(checkSmsPhone('+49 151 23456789', 'RU', ['RU', 'KZ'])).toEqual(foreign);
    expect(wrongCode('code')).toEqual({ refused: 432, message: 'code: wrong or expired SMS code' });
  });

  it('returns its value when it does not refuse', () => {
    expect(checkPhone('8 (916) 123-45-67', 'RU')).toBe('79161234567');
    expect(checkPossibleSmsPhone('+7 916 123-45-67')).toBeNull();
    expect(checkSmsPhone('+7 916 123-45-67', 'RU', ['RU'])).toBe('79161234567');
  });
});

describe('a use case answering a refusal', () => {
  it('passes a value through and throws the 422 the contract shows for a refusal', () => {
    expect(unlessRefused(checkPhone('+7 916 123-45-67', 'RU'))).toBe('79161234567');
    expect(unlessRefused(checkPossibleSmsPhone('+7 916 123-45-67'))).toBeNull();
    const error = (() => {
      try {
        unlessRefused(checkPhone('12', 'RU'));
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(Unprocessable);
    const answer = toEnvelope(error);
    expect(answer.statusCode).toBe(422);
    expect(JSON.parse(answer.body!)).toEqual({
      success: false,
      data: null,
      meta: { message: 'phone: not a valid phone number', errors: [{ code: 431, message: 'phone: not a valid phone number' }] },
    });
    const wrong = refused(wrongCode('confirmation_code'));
    expect(wrong.errors).toEqual([{ code: 432, message: 'confirmation_code: wrong or expired SMS code' }]);
  });
});
