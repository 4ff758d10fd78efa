// Why a rule says no. Rules in lib/domain return a Refusal, never an HTTP error: the use case
// that asked decides how to answer it (lib/errors.ts `refused` makes it the contract's 422).
// Pure: no I/O.

/** Error codes of docs/contract.md section 1 (meta.errors[].code). */
export const ErrorCode = {
  invalidPhone: 431,
  wrongSmsCode: 432,
  invalidField: 1001,
  phoneTaken: 1002,
  wrongOldPassword: 1003,
  cancelForbidden: 1004,
  cancelTooLate: 1005,
  reviewAlreadySubmitted: 1006,
  ratingOutOfRange: 1007,
  /** Beyond docs/contract.md's table: password login failed (unknown login and wrong password alike). */
  wrongLogin: 1008,
  /** Beyond docs/contract.md's table: a password set without `old_password` needs a fresh SMS-code login. */
  freshLoginNeeded: 1009,
  /** Altegio's "the selected time is already taken or is not working" (a move, docs/contract.md section 9). */
  timeNotFree: 433,
  /** The location does not let customers move appointments. */
  moveForbidden: 1010,
  /** Too late to move: inside the location's delay, the visit happened, or it is cancelled. */
  moveTooLate: 1011,
} as const;

/** A rule's "no": a code of the contract's table and the sentence the customer reads. */
export interface Refusal {
  refused: number;
  message: string;
}

export function refusal(code: number, message: string): Refusal {
  return { refused: code, message };
}

export function isRefusal(value: unknown): value is Refusal {
  return typeof value === 'object' && value !== null && 'refused' in value;
}
