// What every connected bench starts with: the Altegio stand-in (test/helpers/altegio-standin.ts) answering
// every request in 50 ms, and connected mode's environment pointing at it, set before the service is
// imported (connected mode is read at start). The budget is set high so it never waits.
import { startStandin, type AltegioStandin } from '../test/helpers/altegio-standin.js';

/** How long the stand-in takes to answer: Altegio's latency in these benches. */
export const latencyMs = 50;

/** The stand-in, and connected mode to it on a table of `name`'s own serving `companyIds`, with `env` on top. */
export async function connectedToStandin(name: string, companyIds: string, env: Record<string, string> = {}): Promise<AltegioStandin> {
  const standin = await startStandin({ rps: 0, rpm: 0, latencyMs });
  Object.assign(process.env, {
    CABINET_TABLE: `cabinet-bench-${name}-${Date.now()}`,
    CABINET_ALTEGIO_PARTNER_TOKEN: standin.partnerToken,
    CABINET_ALTEGIO_URL: standin.url,
    CABINET_ALTEGIO_USER_TOKEN: standin.userToken,
    CABINET_ALTEGIO_COMPANY_IDS: companyIds,
    CABINET_ALTEGIO_RPS: '1000',
    CABINET_ALTEGIO_RPM: '60000',
    ...env,
  });
  return standin;
}
