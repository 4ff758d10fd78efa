import { changeOf, regionOf, versionOf, type CompanyDoc } from '../../lib/domain/entities.js';
import { countryOfLocation, countryOfName, countryOfPhone } from '../../lib/domain/countries.js';
import { webhookBody } from '../../lib/schemas/webhook.js';
import { companyEvent, recordEvent, staffEvent } from '../helpers/altegio.js';

describe('delivery versions', () => {
  it("orders by Altegio's last_change_date, in either offset spelling", () => {
    expect(versionOf('2026-11-20T10:00:00+0300', 5)).toBe(Date.parse('2026-11-20T07:00:00Z'));
    expect(versionOf('2026-11-20T10:00:00+03:00', 5)).toBe(Date.parse('2026-11-20T07:00:00Z'));
  });

  it('falls back to the receipt time when there is no usable date', () => {
    expect(versionOf(undefined, 1234)).toBe(1234);
    expect(versionOf('not a date', 1234)).toBe(1234);
  });
});

describe('changes from webhook events', () => {
  it('turns a delete into a removal that carries the deletion time as its version', () => {
    const event = webhookBody.parse({ ...recordEvent(5, {}, 'delete'), data: { last_change_date: '2026-11-21T10:00:00+03:00' } });
    expect(changeOf(event, 0, 'RU')).toEqual({
      kind: 'record',
      id: 5,
      companyId: 4564,
      version: Date.parse('2026-11-21T07:00:00Z'),
      doc: null,
    });
  });

  it('accepts a delete whose data is empty, as Altegio sends it', () => {
    const event = webhookBody.parse({ ...staffEvent(), status: 'delete', data: [] });
    expect(changeOf(event, 99, 'RU')).toMatchObject({ kind: 'staff', id: 48, version: 99, doc: null });
  });

  it('ignores resources the cabinet does not show', () => {
    const event = webhookBody.parse({ company_id: 1, resource: 'goods_transaction', resource_id: 3, status: 'create', data: { x: 1 } });
    expect(changeOf(event, 0, 'RU')).toBeNull();
  });

  it('reads ids and numbers sent as strings', () => {
    const event = webhookBody.parse({
      ...staffEvent(),
      company_id: '4564',
      resource_id: '48',
      data: { ...staffEvent().data, id: '48', rating: '4.5' },
    });
    expect(changeOf(event, 0, 'RU')).toMatchObject({ id: 48, companyId: 4564, doc: { id: 48, rating: 4.5 } });
  });

  it('keeps a record_hash the sender gives', () => {
    const event = webhookBody.parse(recordEvent(5, { record_hash: 'abc123def' }));
    expect(changeOf(event, 0, 'RU')).toMatchObject({ recordHash: 'abc123def' });
  });
});

describe("a location's country, for the phones its clients give without a country code", () => {
  const location = (overrides: Partial<CompanyDoc>) =>
    ({ country_code: null, country: '', phone: '', phones: [], ...overrides }) as CompanyDoc;

  it('is its ISO country_code, else its country name, else its own phone, else none', () => {
    expect(countryOfLocation(location({ country_code: 'GB', country: 'United States', phone: '+74951234567' }))).toBe('GB');
    expect(countryOfLocation(location({ country: 'United States', phone: '+74951234567' }))).toBe('US');
    expect(countryOfLocation(location({ country: 'Atlantis', phone: '+12125550100' }))).toBe('US');
    expect(countryOfLocation(location({ phones: ['', '+442079460000'] }))).toBe('GB');
    expect(countryOfLocation(location({ phone: '84951234567' }))).toBeNull();
  });

  it('is resolved when the location is stored, and read back with the fallback only where none told', () => {
    const stored = (data: Record<string, unknown>) => changeOf(webhookBody.parse(companyEvent({ ...data })), 0, 'RU')!.doc as CompanyDoc;
    expect(stored({ country: 'United States', phone: '+74951234567', phones: [] }).country_code).toBe('US');
    expect(regionOf(stored({ country: 'Atlantis', phone: '+12125550100', phones: [] }), 'RU')).toBe('US');
    expect(regionOf(stored({ country: 'Atlantis', phone: '84951234567', phones: [] }), 'KZ')).toBe('KZ');
    expect(regionOf(null, 'KZ')).toBe('KZ');
  });

  it('reads the names Altegio writes, in English and Russian', () => {
    expect(['Russia', 'Россия', 'United States', 'USA', 'США', 'Kazakhstan', 'Казахстан', ' united kingdom '].map(countryOfName)).toEqual([
      'RU',
      'RU',
      'US',
      'US',
      'US',
      'KZ',
      'KZ',
      'GB',
    ]);
    expect(['', 'European Union', 'Unknown Region'].map(countryOfName)).toEqual([null, null, null]);
    expect(['+7 495 123-45-67', '74951234567', ''].map(countryOfPhone)).toEqual(['RU', null, null]);
  });
});

describe('owners of records', () => {
  const at = (phone: string, region: string | null) => changeOf(webhookBody.parse(recordEvent(5, { client: { id: 1, phone } })), 0, region);

  it("reads a national phone by the location's country, and waits when it is not known", () => {
    expect(at('(917) 601-8672', 'US')).toMatchObject({ owner: { phone: '19176018672' } });
    expect(at('(917) 601-8672', 'RU')).toMatchObject({ owner: { phone: '79176018672' } });
    expect(at('(917) 601-8672', null)).toMatchObject({ awaitsLocation: true });
    expect(at('(917) 601-8672', null)).not.toHaveProperty('owner');
    expect(at('9176018672', null)).toMatchObject({ awaitsLocation: true });
  });

  it('needs no location for a phone written with its country code', () => {
    expect(at('+1 917 601 8672', null)).toMatchObject({ owner: { phone: '19176018672' } });
    expect(at('+1 917 601 8672', null)).not.toHaveProperty('awaitsLocation');
  });
});
