// `npm start -- --demo --altegio`: cabinet connected to a salon's Altegio account, played by the
// stand-in on 127.0.0.1 (a location in Belgrade and one in Moscow, their team members and services,
// and the client Ann with an appointment in each, booked in Altegio: no webhook ever sent). Once
// the stack is up, it runs `npm run altegio -- connect` and `backfill` against it, as an operator
// would, and prints the walkthrough: log in by SMS code, see the appointments that came from
// Altegio, open one with its location's cancel rules.
import { spawn } from 'node:child_process';
import { AltegioStandin, moscowSalon } from './altegio-standin.js';

export const altegioDemoRequested = process.argv.includes('--demo') && process.argv.includes('--altegio');

/** A Serbian mobile: SMS codes go to numbers of the location's own country (README, CABINET_SMS_COUNTRIES). */
const phone = '381641234567';
const partnerToken = 'demo-altegio-partner-token';
const userToken = 'demo-altegio-user-token';

export interface AltegioDemo {
  standin: AltegioStandin;
  /** What the stack's handlers and the operator commands need to be connected to it. */
  env: Record<string, string>;
  close: () => Promise<void>;
}

/** A wall-clock time at the location, `days` from today: `2026-12-02 14:00:00`. */
function localDay(days: number, time: string, zone: string): string {
  const date = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(Date.now() + days * 86_400_000),
  );
  return `${date} ${time}`;
}

export async function startAltegioDemo(): Promise<AltegioDemo> {
  const standin = await new AltegioStandin({ partnerToken, userToken }).start();
  standin.addSalon(4564, { title: 'Salon Belgrade' });
  standin.addStaff(4564, 9, { name: 'Alex' });
  standin.addService(4564, 1, { title: 'Haircut', staff: [{ id: '9', seance_length: '3600' }] });
  standin.addClient(4564, 18936825, { name: 'Ann', phone: `+${phone}`, email: 'ann@example.com' });
  standin.addRecord(4564, 596792980, {
    date: localDay(1, '14:00:00', 'Europe/Belgrade'),
    staff_id: 9,
    client_id: 18936825,
    service_ids: [1],
  });
  standin.addSalon(4565, moscowSalon, { allow_delete_record_delay_step: 7200 });
  standin.addStaff(4565, 21, { name: 'Vera' });
  standin.addService(4565, 2, {
    title: 'Manicure',
    price_min: '2000.00',
    price_max: '2500.00',
    staff: [{ id: '21', seance_length: '5400' }],
  });
  standin.addClient(4565, 77001, { name: 'Ann', phone: `+${phone}`, email: 'ann@example.com' });
  standin.addRecord(4565, 596800001, { date: localDay(3, '10:30:00', 'Europe/Moscow'), staff_id: 21, client_id: 77001, service_ids: [2] });
  const env = {
    CABINET_ALTEGIO_PARTNER_TOKEN: partnerToken,
    CABINET_ALTEGIO_URL: standin.url,
    CABINET_ALTEGIO_USER_TOKEN: userToken,
    CABINET_ALTEGIO_COMPANY_IDS: '4564,4565',
    CABINET_ALTEGIO_RPS: '5',
  };
  return { standin, env, close: () => standin.close() };
}

/** `npm run altegio -- ARGS` with the stack's environment; its lines, and whether it succeeded. */
function altegio(args: string[], env: NodeJS.ProcessEnv): Promise<{ ok: boolean; text: string }> {
  return new Promise((resolve) => {
    // No runtime warnings in the walkthrough: only what the command itself prints.
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/altegio.ts', ...args], {
      env: { ...env, NODE_NO_WARNINGS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.once('exit', (code) => resolve({ ok: code === 0, text: text.trimEnd() }));
  });
}

/** Runs connect and backfill against the stand-in, and gives the walkthrough to print. */
export async function loadAltegioDemo(
  base: string,
  cabinetPartnerToken: string,
  env: NodeJS.ProcessEnv,
  demo: AltegioDemo,
): Promise<string> {
  const steps = [];
  for (const args of [['connect'], ['backfill', '--days', '30']]) {
    const ran = await altegio(args, env);
    steps.push(`$ npm run altegio -- ${args.join(' ')}`, ran.text);
    if (!ran.ok) throw new Error(`demo: npm run altegio -- ${args[0]} failed:\n${ran.text}`);
  }
  const auth = `-H 'Authorization: Bearer ${cabinetPartnerToken}'`;
  const json = `-H 'Content-Type: application/json'`;
  return [
    `Demo connected to Altegio: a local stand-in plays the salon's Altegio account at ${demo.standin.url}:`,
    '"Salon Belgrade" (4564) and "Salon Moscow" (4565), Alex and Vera, a haircut and a manicure, and',
    `Ann (+${phone}) with an appointment in each, booked in Altegio: no webhook was ever sent.`,
    '',
    ...steps,
    '',
    '# 1. Ask for a login code; with no CABINET_SMS_URL the SMS is printed here as an [sms] line:',
    `curl -s -X POST ${base}/v1/book_code/4564 ${auth} ${json} -d '{"phone":"+${phone}"}'`,
    '# 2. Log in with it (put the code from the SMS), and keep the user_token:',
    `U=$(curl -s -X POST ${base}/v1/user/auth ${auth} ${json} -d ` +
      `'{"phone":"${phone}","code":"PUT-CODE-HERE"}' | sed ` +
      `'s/.*"user_token":"\\([0-9a-f]*\\)".*/\\1/'); echo $U`,
    '# 3. Her appointments, which came from Altegio (each with its location):',
    `curl -s ${base}/v1/user/records -H "Authorization: Bearer ${cabinetPartnerToken}, User $U"`,
    "# 4. Open the one in Moscow: the location's title and address, and its cancel deadline (2 h before, Altegio's rule):",
    `curl -s ${base}/v1/user/records/596800001 -H "Authorization: Bearer ${cabinetPartnerToken}, User $U"`,
  ].join('\n');
}
