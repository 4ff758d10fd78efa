// Which limits a request passes (docs/contract.md section 5), from the configured numbers.
import { config } from '../config.js';
import type { Limit } from './limiter.js';

export interface SmsRequester {
  phone: string;
  ip: string;
  /**
   * The location whose daily budget pays. A group is charged as the location that stands for it,
   * so one location has one budget whichever id names it.
   */
  locationId: number;
  /** The signed-in user, for operations that have one. */
  userId?: number;
}

const hour = 3600;
const day = 24 * hour;

export function smsLimits(who: SmsRequester): Limit[] {
  const l = config.smsLimits;
  const limits: Limit[] = [
    { kind: 'cooldown', scope: 'sms-phone', key: who.phone, seconds: l.phoneCooldownS },
    { kind: 'window', scope: 'sms-phone-day', key: who.phone, max: l.phonePerDay, windowS: day },
    { kind: 'window', scope: 'sms-ip-hour', key: who.ip, max: l.ipPerHour, windowS: hour },
    { kind: 'window', scope: 'sms-budget-day', key: `company:${who.locationId}`, max: l.companyPerDay, windowS: day },
    // Every SMS of every location: one hot counter, so charged alone (lib/limits/limiter.ts).
    { kind: 'window', scope: 'sms-deployment-day', key: '-', max: l.deploymentPerDay, windowS: day, shared: true },
  ];
  if (who.userId !== undefined)
    limits.push({ kind: 'window', scope: 'sms-user-hour', key: String(who.userId), max: l.userPerHour, windowS: hour });
  return limits;
}

/** The limits that are budgets (what SMS may cost a day), by scope: their refusal is told to the operator. */
export const smsBudgets: Readonly<Record<string, 'location' | 'deployment'>> = {
  'sms-budget-day': 'location',
  'sms-deployment-day': 'deployment',
};

/** Login attempts (by code or password) per client IP, against guessing across many logins. */
export function loginLimits(ip: string): Limit[] {
  return [{ kind: 'window', scope: 'login-ip-hour', key: ip, max: config.loginIpPerHour, windowS: hour }];
}

/** Whose password is being tried: an account (however it was named), or a login no account has. */
export type PasswordTarget = { userId: number } | { login: string };

/**
 * Password attempts (login, or the old password when changing it), per client IP and per account,
 * so the phone and the email of one account share one allowance. `unchecked`: the login has no
 * password to check (no account, or one that never set a password), so the attempt costs a decoy
 * scrypt that anyone can ask for with random logins: those share one deployment-wide budget that
 * refuses before any scrypt runs (docs/security.md).
 */
export function passwordLimits(ip: string, target: PasswordTarget, unchecked = false): Limit[] {
  const account = 'userId' in target ? `user:${target.userId}` : `login:${target.login}`;
  const limits: Limit[] = [
    ...loginLimits(ip),
    { kind: 'window', scope: 'login-hour', key: account, max: config.loginPerHour, windowS: hour },
  ];
  if (unchecked)
    limits.push({
      kind: 'window',
      scope: 'login-unchecked-minute',
      key: '-',
      max: config.loginUncheckedPerMinute,
      windowS: 60,
      shared: true,
    });
  return limits;
}

/** Email changes per user and day: each answer tells whether an address is taken (docs/security.md). */
export function emailChangeLimits(userId: number): Limit[] {
  return [{ kind: 'window', scope: 'email-change-day', key: String(userId), max: config.emailChangesPerDay, windowS: day }];
}

/**
 * A cancellation's look at Altegio (two requests), per record and minute, however many callers ask
 * at once: a refusal is remembered a while (lib/altegio/writeback.ts), and this bounds what parallel
 * asks cost before the first one is remembered. A burst hits one counter:
 * charged alone, as a conditional update (lib/limits/limiter.ts), not in conflicting transactions.
 */
export function freshCancelLimits(recordId: number): Limit[] {
  return [{ kind: 'window', scope: 'altegio-fresh-record', key: String(recordId), max: 10, windowS: 60, shared: true }];
}

/** Profile changes that write back to Altegio (a search and a PUT per location each), per user and day. */
export function profileWritebackLimits(userId: number): Limit[] {
  return [{ kind: 'window', scope: 'profile-writeback-day', key: String(userId), max: config.profileWritebacksPerDay, windowS: day }];
}
