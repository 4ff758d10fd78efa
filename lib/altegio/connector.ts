// The connector: connected mode's one link to Altegio per process (docs/contract.md section 8). One
// client, so one user token is minted and reused by every caller; one request budget; one pause
// after Altegio failed; one request in flight per thing wanted. What differs between callers (a
// customer's read, a write-back, a backfill) is how long one call may take: its attempts, time
// limit and waiting bound are given per call (lib/altegio/client.ts `Ask`), not per client.
// It serves the ports and the flows of connected mode; it calls none of them.
import { clock } from '../clock.js';
import { config, type AltegioConfig } from '../config.js';
import { companyDocWith } from '../domain/altegio.js';
import type { CompanyDoc } from '../domain/entities.js';
import { AltegioBudget } from './budget.js';
import { clientOf, type AltegioClient, type Ask } from './client.js';
import { AltegioError, AltegioUnreachable } from './errors.js';

export interface Connector {
  altegio: AltegioConfig;
  client: AltegioClient;
  budget: AltegioBudget;
}

let one: Connector | undefined;

/** The deployment's connector; null standalone. Built once per process, on first use. */
export function connector(): Connector | null {
  const altegio = config.altegio;
  if (!altegio) return null;
  if (!one) {
    const budget = new AltegioBudget({ rps: altegio.rps, rpm: altegio.rpm });
    one = { altegio, budget, client: clientOf(altegio, budget) };
  }
  return one;
}

/** The connector, where connected mode is a precondition (only its flows call this). */
export function linked(): Connector {
  const link = connector();
  if (!link) throw new Error('connected mode is not configured (CABINET_ALTEGIO_COMPANY_IDS)');
  return link;
}

/** Whether a location is one this cabinet serves from Altegio. */
export function configured(companyId: number): boolean {
  return connector()?.altegio.companyIds.includes(companyId) ?? false;
}

// ---- not asking Altegio again too soon -----------------------------------------------------------

let pausedUntil = 0;
let pausedBy = '';
const flights = new Map<string, Promise<unknown>>();

/** Seconds this process leaves Altegio alone after a failure of this kind. */
function pauseOf(error: AltegioError): number {
  switch (error.kind) {
    case 'throttled':
      return Math.min(Math.max(error.retryAfterS, 1), 60);
    case 'unreachable':
      return 5;
    // An operator must act; asking on every customer's read would only spend the budget.
    case 'auth_revoked':
    case 'refused':
      return 30;
    default:
      return 0;
  }
}

/**
 * Runs one exchange with Altegio, unless a failure moments ago says it would fail too; a failure
 * pauses this process's exchanges for a few seconds, so many customers cannot turn an outage
 * into a retry storm.
 */
export async function guarded<T>(run: () => Promise<T>): Promise<T> {
  const remainingMs = pausedUntil - clock.now();
  if (remainingMs > 0) throw new AltegioUnreachable(`not asked: Altegio failed (${pausedBy}) moments ago`, undefined, remainingMs / 1000);
  try {
    return await run();
  } catch (error) {
    const pause = error instanceof AltegioError ? pauseOf(error) : 0;
    if (pause > 0 && clock.now() + pause * 1000 > pausedUntil) {
      pausedUntil = clock.now() + pause * 1000;
      pausedBy = (error as AltegioError).kind;
    }
    throw error;
  }
}

/** One request in flight per thing wanted, however many customers want it at once (guarded). */
export function shared<T>(key: string, run: () => Promise<T>): Promise<T> {
  const inFlight = flights.get(key);
  if (inFlight) return inFlight as Promise<T>;
  const flight = guarded(run).finally(() => flights.delete(key));
  flights.set(key, flight);
  return flight;
}

/** For tests and the bench: forget the pause, the requests in flight and the client (the configuration stays). */
export function resetConnector(): void {
  pausedUntil = 0;
  flights.clear();
  one = undefined;
}

// ---- a location ----------------------------------------------------------------------------------

type Json = Record<string, unknown>;

/**
 * The location's own entry in `GET /companies?id=&my=1`: the location as the cabinet user sees
 * it, with its online-booking (cancel) rules. Null when the cabinet user does not see it.
 */
export async function listedLocation(client: AltegioClient, companyId: number, ask: Ask): Promise<Json | null> {
  const { data } = await client.companyRules(companyId, ask);
  const found = (Array.isArray(data) ? data : []).find((row) => Number((row as { id?: unknown } | null)?.id) === companyId);
  return found && typeof found === 'object' ? (found as Json) : null;
}

/**
 * A location as Altegio has it now, with its cancel rules, its country told by `countryOf`
 * (lib/domain/countries.ts, or the SMS functions' metadata set: lib/domain/sms-phone.ts). `both`:
 * `GET /company/{id}` always, beside the list (one answer's wait, two calls); else only when the
 * listed entry lacks what a location shows, its title or zone (one call, or two in a row).
 */
export async function readLocation(
  client: AltegioClient,
  companyId: number,
  ask: Ask,
  countryOf: (doc: CompanyDoc) => string | null,
  both = false,
): Promise<CompanyDoc> {
  if (both) {
    const [{ data: company }, listed] = await Promise.all([client.company(companyId, ask), listedLocation(client, companyId, ask)]);
    return companyDocWith(countryOf, company, listed ?? undefined);
  }
  const listed = await listedLocation(client, companyId, ask);
  const whole = typeof listed?.title === 'string' && listed.title && typeof listed.timezone_name === 'string' && listed.timezone_name;
  return companyDocWith(countryOf, whole ? listed : (await client.company(companyId, ask)).data, listed ?? undefined);
}
