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
}

/** Emails are unique and compared without regard to case. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/** The user object of CONTRACT.md section 2: `login` is the phone. */
export function userView(user: User, token: string) {
  return { id: user.id, user_token: token, name: user.name, phone: user.phone, login: user.phone, email: user.email, avatar: user.avatar };
}
