// Which limits a request passes (CONTRACT.md section 5), from the configured numbers.
import { config } from '../config.js';
import type { Limit } from './limiter.js';

export interface SmsRequester {
  phone: string;
  ip: string;
  /** Whose daily budget pays: `company:<id>` or `group:<id>`. */
  budget: string;
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
    { kind: 'window', scope: 'sms-budget-day', key: who.budget, max: l.companyPerDay, windowS: day },
  ];
  if (who.userId !== undefined) limits.push({ kind: 'window', scope: 'sms-user-hour', key: String(who.userId), max: l.userPerHour, windowS: hour });
  return limits;
}

/** Login attempts (by code or password) per client IP, against guessing across many logins. */
export function loginLimits(ip: string): Limit[] {
  return [{ kind: 'window', scope: 'login-ip-hour', key: ip, max: config.loginIpPerHour, windowS: hour }];
}

/** Password login attempts per login (phone or email), against guessing one account from many IPs. */
export function passwordLoginLimits(ip: string, login: string): Limit[] {
  return [...loginLimits(ip), { kind: 'window', scope: 'login-hour', key: login, max: config.loginPerHour, windowS: hour }];
}
