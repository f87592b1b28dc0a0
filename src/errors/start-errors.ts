import { AppStartError } from './app-start-error.js';

// A start that fails for a reason in the environment (a setting, the database, the port, the
// data directory) becomes one AppStartError line naming the setting and the fix: runCommand prints
// it without a stack. Anything else stays as it was, a bug to see whole.

type SystemError = Error & { code?: string; syscall?: string; hostname?: string };

/** postgres://user:secret@host/db → postgres://user:***@host/db: the URL as the operator wrote it, minus the password. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'DATABASE_URL';
  }
}

/** A failure connecting to DATABASE_URL (refused, unknown host, role, password, database). */
export function databaseStartError(error: unknown, databaseUrl: string): unknown {
  const { code, message } = error as SystemError;
  const url = new URL(databaseUrl);
  const where = `DATABASE_URL ${withoutPassword(databaseUrl)}`;
  const database = decodeURIComponent(url.pathname.slice(1)) || url.username;
  const reasons: Record<string, string> = {
    ECONNREFUSED: `nothing accepts connections at ${url.host}: is PostgreSQL running there?`,
    ENOTFOUND: `the host ${url.hostname} is not known: check the host name`,
    EAI_AGAIN: `the host ${url.hostname} could not be looked up: check the name and the network`,
    ETIMEDOUT: `${url.host} did not answer: check the host, the port and any firewall`,
    EHOSTUNREACH: `${url.host} cannot be reached from this machine`,
    // PostgreSQL's own refusals (SQLSTATE)
    '3D000': `the database "${database}" does not exist: create it (createdb ${database}) or fix the name; the server never creates it`,
    '28000': `PostgreSQL refused the role "${decodeURIComponent(url.username)}": ${message}`,
    '28P01': `the password for "${decodeURIComponent(url.username)}" was refused`,
    '42501': `the role may not connect or create tables: ${message}`,
  };
  const reason =
    (code && reasons[code]) ??
    (/timeout|terminated unexpectedly/i.test(message) ? `${url.host} did not answer in time` : undefined);
  if (!reason) return error;
  return new AppStartError(`Cannot use ${where}: ${reason}${reason.endsWith('?') ? '' : '.'}`);
}

/** DATA_DIR (or a file in it) that cannot be created, read or written. */
export function dataDirStartError(error: unknown, dataDir: string): unknown {
  const { code } = error as SystemError;
  const reasons: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'the file system is read-only',
    ENOTDIR: 'a file stands where a directory is needed',
    EEXIST: 'a file stands where a directory is needed',
    ENOSPC: 'the disk is full',
  };
  const reason = code ? reasons[code] : undefined;
  return reason
    ? new AppStartError(
        `Cannot use DATA_DIR ${dataDir}: ${reason} (${code}). Set DATA_DIR to a directory this user can write, or fix its permissions.`,
      )
    : error;
}

/** Binding HOST:PORT: taken, not an address of this machine, or privileged. */
export function listenStartError(error: unknown, host: string, port: number): unknown {
  const { code, syscall } = error as SystemError;
  if (code === 'EADDRINUSE') {
    return new AppStartError(
      `PORT ${port} is already in use on ${host}: stop the other program or set PORT.`,
    );
  }
  if (code === 'EACCES' && syscall === 'listen') {
    return new AppStartError(`PORT ${port} needs privileges on this machine: use a port above 1023.`);
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EINVAL') {
    return new AppStartError(
      `HOST ${host} is not an address of this machine (${code}): use 0.0.0.0 (every interface), 127.0.0.1 (this machine only) or one of its addresses.`,
    );
  }
  return error;
}
