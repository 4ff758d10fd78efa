// The service's one clock. Every rule with a time in it (code expiry, limit windows, cooldowns)
// asks it, so tests can move time instead of sleeping through windows.
export const clock = {
  now: (): number => Date.now(),
};
