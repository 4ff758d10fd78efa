// The SMS functions tell a location's country with the `mobile` metadata they carry for the codes
// (lib/domain/sms-phone.ts), so that reading a configured location through does not add libphonenumber's
// `min` set to their bundles. The answer must be the one the rest of cabinet stores (lib/domain/countries.ts),
// except where the number alone cannot tell without `min`: a landline of a shared calling code.
import { countryOfLocation } from '../../lib/domain/countries.js';
import { smsCountryOfLocation } from '../../lib/domain/sms-phone.js';

const location = (fields: Partial<{ country_code: string | null; country: string; phone: string; phones: string[] }>) => ({
  country_code: null,
  country: '',
  phone: '',
  phones: [],
  ...fields,
});

describe("a location's country, told with the SMS functions' metadata", () => {
  it.each([
    location({ country: 'Serbia' }),
    location({ country: 'Россия' }),
    location({ country: 'USA' }),
    location({ country_code: 'KZ', country: 'Russia' }),
    location({ phone: '+74951234567' }),
    location({ phone: '+381111234567' }),
    location({ phone: '+77172123456' }),
    location({ phone: '+18765551234' }),
    location({ phones: ['+4930123456'] }),
    location({ country: 'Atlantis', phone: '+33142685300' }),
    location({}),
  ])('is the one cabinet stores: %j', (l) => {
    expect(smsCountryOfLocation(l)).toBe(countryOfLocation(l));
  });

  it('tells nothing from a landline of a calling code several countries share, when the name does not tell', () => {
    const london = location({ phone: '+442071234567' });
    expect(countryOfLocation(london)).toBe('GB');
    expect(smsCountryOfLocation(london)).toBeNull();
    expect(smsCountryOfLocation({ ...london, country: 'United Kingdom' })).toBe('GB');
  });
});
