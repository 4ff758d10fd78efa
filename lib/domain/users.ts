// A cabinet user as stored, and as Altegio clients receive it.

export interface User {
  id: number;
  name: string;
  /** E.164 digits; also the login. */
  phone: string;
  email: string;
  avatar: string;
  /** Raised to revoke every token issued before. */
  generation: number;
  created_at: string;
  /** PHC string (lib/domain/passwords.ts); absent until the user sets a password. Never sent out. */
  password_hash?: string;
  /** The token the request came with (lib/db/sessions.ts); never stored on the user. */
  session?: Session;
}

/** How a token was minted: by an SMS-code login, or by a password (login, first set, change). */
export type TokenOrigin = 'code' | 'password';

export interface Session {
  via: TokenOrigin;
  /** Epoch ms. */
  issuedAt: number;
}

/**
 * Proof that the caller can receive SMS at the account's phone right now: a token minted by an
 * SMS-code login less than `windowS` ago. Only that lets a password be set without the old one,
 * so a token stolen later can neither set a first password nor change one, and the owner can
 * always take the account back by logging in with a code (docs/security.md).
 */
export function isFreshCodeLogin(session: Session | undefined, now: number, windowS: number): boolean {
  return session?.via === 'code' && now - session.issuedAt < windowS * 1000 && session.issuedAt <= now;
}

/** Emails are unique and compared without regard to case. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/** The user object of docs/contract.md section 2: `login` is the phone. */
export function userView(user: User, token: string) {
  return { id: user.id, user_token: token, name: user.name, phone: user.phone, login: user.phone, email: user.email, avatar: user.avatar };
}
