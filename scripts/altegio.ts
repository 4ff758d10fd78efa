// `npm run altegio -- connect | status` (docs/contract.md 8.1; docs/altegio.md).
// connect: checks the tokens on every configured location, then registers cabinet's webhook there
//   (`POST /hooks_settings/{id}`), keeping any other integration's URLs; run again, it changes
//   nothing that is already right.
// status: the tokens' check, the webhook, the request budget in use, the last reconcile and what is cached.
// backfill [--days N]: every record from yesterday to N days ahead (default 90) of every location,
//   page by page, ingested as webhooks would be; resumable, and a second full run changes nothing.
// Every failure is one plain line and a non-zero exit; never a stack trace, never a secret. Locally
// it works beside a running `npm start` with that stack's settings, with nothing repeated.
import { pathToFileURL } from 'node:url';

const usage = 'usage: npm run altegio -- connect | status | backfill [--days N] | failed | show ID | replay ID';

export interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
}

const consoleOutput: Output = { out: (line) => console.log(line), err: (line) => console.error(line) };

/** The hook flags docs/contract.md 8.1 sets: locations, services, team members, clients, records. */
const hookFlags = ['salon', 'service', 'master', 'client', 'record'] as const;

class Stop extends Error {
  override name = 'Stop';
}

/** An operator is waiting, and these are a handful of requests: they go as a customer's reads do. */
const priority = 'read';

export async function main(argv: string[], io: Output = consoleOutput): Promise<number> {
  const [command, id] = argv;
  const writeback = command === 'failed' || ((command === 'show' || command === 'replay') && Boolean(id));
  if (command !== 'connect' && command !== 'status' && command !== 'backfill' && !writeback) {
    io.err(usage);
    return 2;
  }
  const days = command === 'backfill' ? backfillDays(argv.slice(1)) : undefined;
  if (days === null) {
    io.err(usage);
    return 2;
  }
  try {
    // Loaded here, not at the top, so that a configuration error is one line too (it throws only ConfigError).
    const { config } = await import('../lib/config.js').catch((error: Error) => {
      throw new Stop(error.message);
    });
    const altegio = config.altegio;
    if (!altegio) throw new Stop('Not connected to Altegio: CABINET_ALTEGIO_COMPANY_IDS is not set (see docs/altegio.md).');
    const { dynamo } = await import('../lib/db/client.js');
    const { withTable } = await import('./with-table.js');
    // The process's one connector: its client, budget and minted token serve every step below.
    const { client, budget } = (await import('../lib/altegio/connector.js')).linked();
    const tools = { config, altegio, client, budget, io };
    if (command === 'backfill') return await withTable(config, dynamo, () => backfill(tools, days!));
    if (writeback) return await withTable(config, dynamo, () => writebackCommand(command, id, io));
    return await withTable(config, dynamo, () => (command === 'connect' ? connect(tools) : status(tools)));
  } catch (error) {
    io.err(await explain(error));
    return 1;
  }
}

type Tools = {
  config: typeof import('../lib/config.js').config;
  altegio: import('../lib/config.js').AltegioConfig;
  client: import('../lib/altegio/client.js').AltegioClient;
  budget: import('../lib/altegio/budget.js').AltegioBudget;
  io: Output;
};

async function explain(error: unknown): Promise<string> {
  if (error instanceof Stop) return error.message;
  const { LeaseLost, LocationBusy } = await import('../lib/altegio/lease.js');
  if (error instanceof LocationBusy)
    return `${error.message}. Nothing was started and nothing sent to Altegio; run it again once that run has ended.`;
  if (error instanceof LeaseLost) return error.message;
  const { AltegioError } = await import('../lib/altegio/errors.js');
  const { AltegioNotConfigured } = await import('../lib/altegio/errors.js');
  if (error instanceof AltegioNotConfigured) return `Altegio: a credential is missing (${error.detail})`;
  if (error instanceof AltegioError) return `Altegio: ${advice(error)} (${error.detail})`;
  return `Failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
}

function advice(error: import('../lib/altegio/errors.js').AltegioError): string {
  switch (error.kind) {
    case 'auth_revoked':
      return 'the tokens were refused; check CABINET_ALTEGIO_PARTNER_TOKEN and the user token or login/password';
    case 'refused':
      return (error as import('../lib/altegio/errors.js').AltegioRefused).reason === 'licence'
        ? "the location's licence must be renewed in Altegio"
        : 'the cabinet user lacks a right in Altegio (docs/altegio.md lists them)';
    case 'not_found':
      return 'no such location, or the cabinet user was not invited to it';
    case 'throttled':
      return `Altegio is limiting requests; try again in ${error.retryAfterS} s`;
    case 'busy':
      return `the request budget is in use; try again in ${error.retryAfterS} s`;
    case 'unreachable':
      return 'Altegio did not answer usably; check CABINET_ALTEGIO_URL and the network';
    default:
      return 'Altegio refused the request';
  }
}

function webhookUrl(publicUrl: string, secret: string): string {
  return `${publicUrl}/api/v1/webhooks/altegio?secret=${encodeURIComponent(secret)}`;
}

/** The URL as it may be printed: the secret replaced. */
function masked(url: string): string {
  return url.replace(/([?&]secret=)[^&]*/, '$1***');
}

const loopback = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:|\/|$)/;

interface Location {
  id: number;
  title: string;
  rules: string;
}

/** One location's token check: the location as the cabinet user sees it, with its cancel rules. */
async function checkLocation(client: Tools['client'], id: number): Promise<Location> {
  const { companyDocOf, rulesRevealed } = await import('../lib/domain/altegio.js');
  const { listedLocation } = await import('../lib/altegio/connector.js');
  const found = await listedLocation(client, id, priority);
  if (!found) throw new Stop(`Location ${id}: not visible to the cabinet user; invite that user to the location in Altegio.`);
  const doc = companyDocOf(found, found);
  const rules = !rulesRevealed(found)
    ? 'cancel rules not revealed by Altegio: cancelling will be refused (docs/altegio.md)'
    : doc.allow_delete_record
      ? `cancelling allowed until ${doc.allow_delete_record_delay_step} s before the visit`
      : 'cancelling not allowed';
  return { id, title: doc.title, rules };
}

/** The webhook secret where the functions read it: SSM with CABINET_SECRETS_PATH (a deployed stage), else the environment. */
async function storedWebhookSecret(): Promise<string | undefined> {
  const { webhookSecret } = await import('../lib/secret-store.js');
  return webhookSecret();
}

async function connect({ config, altegio, client, io }: Tools): Promise<number> {
  const secret = await storedWebhookSecret();
  if (!secret)
    throw new Stop(
      `${
        config.secretsPath ? `${config.secretsPath}webhook-secret is not in SSM` : 'CABINET_WEBHOOK_SECRET is not set'
      }: Altegio's webhooks authenticate by it (the \`secret\` query parameter).`,
    );
  if (loopback.test(config.publicUrl) && !loopback.test(altegio.baseUrl)) {
    throw new Stop(`CABINET_PUBLIC_URL is ${config.publicUrl}, which Altegio cannot reach: set it to cabinet's public address.`);
  }
  const ours = webhookUrl(config.publicUrl, secret);
  const oursPrefix = `${config.publicUrl}/api/v1/webhooks/altegio`;
  // Every location is checked before any is changed: a wrong token changes nothing anywhere.
  const locations = [];
  for (const id of altegio.companyIds) locations.push(await checkLocation(client, id));
  for (const location of locations) {
    io.out(`location ${location.id} "${location.title}": tokens ok; ${location.rules}`);
    const { data: current } = await client.hooks(location.id, priority);
    const urls = Array.isArray(current?.urls) ? (current.urls as unknown[]).filter((u): u is string => typeof u === 'string') : [];
    const others = urls.filter((u) => !u.startsWith(oursPrefix));
    const done = urls.includes(ours) && Number(current?.active) === 1 && hookFlags.every((flag) => Number(current?.[flag]) === 1);
    if (done) {
      io.out(`  webhook ${masked(ours)} already registered (${hookFlags.join(', ')}): unchanged`);
      continue;
    }
    const replaced = urls.length - others.length;
    const settings = { ...current, urls: [...others, ours], active: 1, ...Object.fromEntries(hookFlags.map((flag) => [flag, 1])) };
    await client.setHooks(location.id, settings, priority);
    io.out(`  webhook ${masked(ours)} registered for ${hookFlags.join(', ')}`);
    if (replaced > 0) io.out(`  replaced ${replaced} earlier cabinet webhook URL(s)`);
    if (others.length > 0) io.out(`  kept ${others.length} other webhook URL(s) of this location`);
  }
  return 0;
}

async function status({ config, altegio, client, budget, io }: Tools): Promise<number> {
  const { getEntity } = await import('../lib/db/entities.js');
  const { AltegioError } = await import('../lib/altegio/errors.js');
  const used = await budget.inUse();
  io.out(
    `Altegio at ${altegio.baseUrl}, user ${altegio.login ? 'by login (POST /auth)' : 'by API token'}; write-back: ` +
      `${altegio.writeback.join(', ') || 'none'}`,
  );
  io.out(`budget: ${used.rps}/s, ${used.rpm}/min; in use now: ${used.second} this second, ${used.minute} this minute`);
  let failed = 0;
  // Write-backs kept as failed need an operator (docs/contract.md 8.4).
  const { failedCommandIds } = await import('../lib/db/altegio-commands.js');
  const failedWritebacks = (await failedCommandIds(1000)).length;
  if (failedWritebacks) {
    io.out(`write-back: ${failedWritebacks} failed; \`npm run altegio -- failed\` lists them, \`replay ID\` runs one again`);
    failed++;
  }
  const secret = await storedWebhookSecret();
  const ours = secret ? webhookUrl(config.publicUrl, secret) : undefined;
  for (const id of altegio.companyIds) {
    try {
      const location = await checkLocation(client, id);
      io.out(`location ${id} "${location.title}": tokens ok; ${location.rules}`);
      const { data: hooks } = await client.hooks(id, priority);
      const urls = Array.isArray(hooks?.urls) ? (hooks.urls as string[]) : [];
      const registered = ours !== undefined && urls.includes(ours) && Number(hooks?.active) === 1;
      io.out(`  webhook: ${registered ? `registered (${masked(ours!)})` : 'not registered: run `npm run altegio -- connect`'}`);
      if (!registered) failed++;
    } catch (error) {
      if (!(error instanceof AltegioError) && !(error instanceof Stop)) throw error;
      failed++;
      io.out(`location ${id}: FAILED: ${await explain(error)}`);
    }
    io.out(`  ${await (await import('../lib/sync/reconcile.js')).describeReconcile(id)}`);
    const running = await (await import('../lib/altegio/lease.js')).describeLease(id);
    if (running) io.out(`  ${running}`);
    const cached = await getEntity('company', id);
    io.out(`  cached: ${cached ? `location (version ${new Date(cached.version).toISOString()})` : 'nothing yet'}`);
  }
  for (const line of await cacheLines()) io.out(line);
  return failed ? 1 : 0;
}

const cacheNames = {
  company: 'locations',
  'company-sms': 'locations read for SMS codes',
  staff: 'team members',
  services: 'service lists (one a location)',
  'user-records': "customers' appointments (one a phone and location)",
} as const;

function ageOf(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${Math.round(s / 3600)} h`;
}

/** What read-through has cached (docs/contract.md 8.3): a count per kind and the oldest read of each. */
async function cacheLines(): Promise<string[]> {
  const { cacheSummary } = await import('../lib/db/altegio-cache.js');
  const { cacheTtlMs } = await import('../lib/ports/read-through.js');
  const { clock } = await import('../lib/clock.js');
  const now = clock.now();
  return [
    'read-through cache:',
    ...(await cacheSummary()).map(
      ({ kind, count, oldestAt }) =>
        `  ${cacheNames[kind]}: ${count}${oldestAt === null ? '' : `, oldest read ${ageOf(now - oldestAt)} ago`} ` +
        `(fresh for ${ageOf(cacheTtlMs[kind])})`,
    ),
  ];
}

/** `--days N` (1–366; default 90); null when the arguments are not that. */
function backfillDays(args: string[]): number | null {
  if (args.length === 0) return 90;
  const [flag, value, ...rest] = args;
  if (flag !== '--days' || rest.length || !/^\d{1,3}$/.test(value ?? '')) return null;
  const days = Number(value);
  return days >= 1 && days <= 366 ? days : null;
}

async function backfill({ altegio, client, io }: Tools, days: number): Promise<number> {
  const { backfillLocation, describeBackfill } = await import('../lib/sync/backfill.js');
  const { SyncLeases } = await import('../lib/altegio/lease.js');
  // Every location's lease before Altegio hears anything: a second run stops here, having sent nothing.
  const leases = await SyncLeases.take('backfill', altegio.companyIds, { waitForReconcile: true, onWait: io.out });
  try {
    io.out(`backfill: records from yesterday to ${days} day(s) ahead, ${altegio.companyIds.length} location(s)`);
    for (const id of altegio.companyIds) {
      try {
        io.out(describeBackfill(await backfillLocation(client, id, days, { leases })));
        await leases.release(id);
      } catch (error) {
        io.err(`location ${id}: backfill stopped; run it again to continue where it stopped`);
        throw error;
      }
    }
  } finally {
    await leases.releaseAll();
  }
  return 0;
}

// ---- write-back failures (docs/contract.md 8.4): failed | show ID | replay ID ----------------------------

type Command = import('../lib/db/altegio-commands.js').AltegioCommand;

function target(command: Command): string {
  if (command.kind === 'profile') return `user ${command.args.user_id}`;
  return `location ${command.company_id} record ${command.args.record_id}${
    command.kind === 'review' ? ` team member ` + `${command.args.staff_id}` : ''
  }`;
}

const at = (ms: number | undefined) => (ms === undefined ? '-' : new Date(ms).toISOString());

/** One line: what it is, what it is for, how often it was tried, why it stopped. */
function line(command: Command): string {
  return (
    `${command.command_id}  ${command.kind}  ${target(command)}  ${command.state}  attempts ${command.attempts}  last ` +
    `${at(command.last_attempt_at)}` +
    `${command.stop_reason ? `  reason ${command.stop_reason}` : ''}${command.last_error ? `  (${command.last_error})` : ''}`
  );
}

/** Everything but the customer's personal data (a review's text, a profile's name, phones and email). */
function details(command: Command): string[] {
  // `cards` too: each names the phone the card had.
  const { text, name, phone, email, phones, cards, ...rest } = command.args;
  const hidden = Object.entries({ text, name, phone, email, phones, cards })
    .filter(([, v]) => v !== undefined)
    .map(([k]) => k);
  return [
    line(command),
    `  created ${at(command.created_at)}${command.done_at ? `, done ${at(command.done_at)}` : ''}`,
    `  args ${JSON.stringify(rest)}${hidden.length ? ` (+ ${hidden.join(', ')}: not printed)` : ''}`,
    ...(command.result && Object.keys(command.result).length ? [`  result ${JSON.stringify(command.result)}`] : []),
  ];
}

async function writebackCommand(command: 'failed' | 'show' | 'replay', id: string | undefined, io: Output): Promise<number> {
  const store = await import('../lib/db/altegio-commands.js');
  if (command === 'failed') {
    const ids = await store.failedCommandIds(1000);
    for (const failed of ids) {
      const found = await store.getCommand(failed);
      if (found) io.out(line(found));
    }
    if (!ids.length) io.out('no failed write-backs');
    return 0;
  }
  const found = await store.getCommand(id!);
  if (!found) throw new Stop(`No write-back ${id}: \`npm run altegio -- failed\` lists the failed ones.`);
  if (command === 'show') {
    for (const text of details(found)) io.out(text);
    return 0;
  }
  if (found.state !== 'failed') throw new Stop(`Write-back ${id} is ${found.state}, not failed: only a failed one is replayed.`);
  const { replayCommand } = await import('../lib/altegio/writeback.js');
  const { result, command: after } = await replayCommand(id!);
  io.out(`replayed ${id}: ${result ?? 'not replayed (it changed meanwhile)'}`);
  if (after) io.out(line(after));
  return result === 'done' ? 0 : 1;
}

// Run as `npm run altegio`: on the running local stack's settings (its kept secrets, its Altegio
// connection) and DynamoDB, as `npm run partner` is (scripts/stack.ts). Imported (the tests), only `main`.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await import('./plain-errors.js');
  const { runOnStack, scriptArgs } = await import('./stack.js');
  await runOnStack(import.meta.url, () => main(scriptArgs()));
}
