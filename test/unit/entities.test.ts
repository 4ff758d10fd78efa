import { changeOf, versionOf } from '../../lib/domain/entities.js';
import { webhookBody } from '../../lib/schemas/webhook.js';
import { recordEvent, staffEvent } from '../helpers/altegio.js';

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
    expect(changeOf(event, 0, 'RU')).toEqual({ kind: 'record', id: 5, companyId: 4564, version: Date.parse('2026-11-21T07:00:00Z'), doc: null });
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
    const event = webhookBody.parse({ ...staffEvent(), company_id: '4564', resource_id: '48', data: { ...staffEvent().data, id: '48', rating: '4.5' } });
    expect(changeOf(event, 0, 'RU')).toMatchObject({ id: 48, companyId: 4564, doc: { id: 48, rating: 4.5 } });
  });

  it('keeps a record_hash the sender gives', () => {
    const event = webhookBody.parse(recordEvent(5, { record_hash: 'abc123def' }));
    expect(changeOf(event, 0, 'RU')).toMatchObject({ recordHash: 'abc123def' });
  });
});
