// A standalone deployment never evaluates the Altegio connector: connected mode is a plug-in that
// lib/ports/mode.ts loads only when it is configured. Here every module of lib/altegio is replaced
// by one that throws as soon as anything imports it (jest's ESM module mocks stand in for a bundle
// without the connector), and a customer's whole path still works: the platform's webhook, sign-in,
// opening, listing and cancelling an appointment.
import { readdirSync } from 'node:fs';
import { jest } from '@jest/globals';
import { startSmsGateway } from '../helpers/sms-gateway.js';
import { useFreshTable } from '../helpers/table.js';

const connectorModules = readdirSync(new URL('../../lib/altegio/', import.meta.url)).filter((file) => file.endsWith('.ts'));
for (const file of connectorModules) {
  jest.unstable_mockModule(`../../lib/altegio/${file.replace(/\.ts$/, '.js')}`, () => {
    throw new Error(`lib/altegio/${file} was evaluated by a standalone deployment`);
  });
}

const gateway = await startSmsGateway();
Object.assign(process.env, { CABINET_SMS_URL: gateway.url });
delete process.env.CABINET_ALTEGIO_COMPANY_IDS;
await useFreshTable();
const { request } = await import('../helpers/api.js');
const { asUser, partnerHeaders, signIn } = await import('../helpers/sign-in.js');
const { companyEvent, recordEvent } = await import('../helpers/altegio.js');
const { push } = await import('../helpers/webhook.js');
const { stopClock } = await import('../helpers/clock.js');

afterAll(() => gateway.close());

stopClock('2026-11-24T09:00:00Z');

describe('standalone, with the connector unloadable', () => {
  it('has a connector that cannot be loaded: the trap is live', async () => {
    expect(connectorModules).toEqual(expect.arrayContaining(['client.ts', 'connector.ts', 'writeback.ts']));
    await expect(import('../../lib/altegio/connector.js')).rejects.toThrow('was evaluated by a standalone deployment');
  });

  it('takes a webhook, signs a client in, opens, lists and cancels their appointment', async () => {
    await push(companyEvent());
    const { record_hash: hash } = await push(recordEvent(5001));
    const { token } = await signIn(gateway, '79161234567', '192.0.2.51');

    const byLink = await request('GET', `/v1/user/records/5001/${hash}`, { headers: partnerHeaders });
    expect(byLink.status).toBe(200);
    expect(byLink.body.data[0]).toMatchObject({ id: 5001, deleted: false, company: { id: 4564, title: 'Barbershop on Tverskaya' } });

    const listed = await request('GET', '/v1/user/records', { headers: asUser(token) });
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((r: { id: number }) => r.id)).toEqual([5001]);

    const cancelled = await request('DELETE', '/v1/user/records/5001', { headers: asUser(token) });
    expect(cancelled.status).toBe(200);
    const opened = await request('GET', '/v1/user/records/5001', { headers: asUser(token) });
    expect(opened.body.data[0]).toMatchObject({ id: 5001, deleted: true });
  });
});
