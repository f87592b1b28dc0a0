/** Today's date in UTC, "YYYY-MM-DD", as the server's budget periods and reports count it. */
export const today = (): string => new Date().toISOString().slice(0, 10);

/** The first day of the current month (UTC). */
export const firstOfMonth = (): string => `${today().slice(0, 8)}01`;
