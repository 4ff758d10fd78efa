// Passwords are kept as scrypt hashes in a PHC-style string that carries its own parameters, so
// they can be raised later without breaking stored hashes:
//   $scrypt$ln=15,r=8,p=3$<salt, base64>$<hash, base64>
// N=2^15, r=8, p=3 is one of OWASP's equivalent scrypt settings (32 MiB), chosen over 2^17/r=8/p=1
// (128 MiB) for the same strength at a quarter of a Lambda's memory.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const current = { ln: 15, r: 8, p: 3 };
const keyLength = 32;

function derive(password: string, salt: Buffer, ln: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** ln, r, p, maxmem: 256 * 2 ** ln * r };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, current.ln, current.r, current.p);
  return `$scrypt$ln=${current.ln},r=${current.r},p=${current.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

const phc = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = phc.exec(stored);
  if (!match) return false;
  const [, ln, r, p, salt, hash] = match;
  const expected = Buffer.from(hash!, 'base64');
  const actual = await derive(password, Buffer.from(salt!, 'base64'), Number(ln), Number(r), Number(p));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

let decoy: Promise<string> | undefined;

/**
 * Spends the same work as checking a real password, for a login that has no password to check:
 * an unknown login must not answer faster than a wrong password does.
 */
export async function verifyNothing(password: string): Promise<false> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(password, await decoy);
  return false;
}
