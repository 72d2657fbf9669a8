/**
 * A point in the global log. Totally ordered, and ordered the same way as a string and as the pair it encodes:
 * PostgreSQL encodes (transaction id, global position), KurrentDB (commit, prepare). Both halves are printed as
 * 20-digit zero-padded decimals, so plain string comparison is log order and the value is safe to store as text,
 * to put in an SSE `id:` or in a cursor.
 */
export type LogPosition = string & { readonly __brand: 'LogPosition' };

const WIDTH = 20;
const PATTERN = /^\d{20}-\d{20}$/;

export const START: LogPosition = logPosition(0n, 0n);

export function logPosition(major: bigint, minor: bigint): LogPosition {
  if (major < 0n || minor < 0n) throw new RangeError('log positions are non-negative');
  return `${major.toString().padStart(WIDTH, '0')}-${minor.toString().padStart(WIDTH, '0')}` as LogPosition;
}

export function isLogPosition(value: string): value is LogPosition {
  return PATTERN.test(value);
}

export function parseLogPosition(value: string): LogPosition {
  if (!isLogPosition(value)) throw new RangeError(`not a log position: ${JSON.stringify(value)}`);
  return value;
}

export function splitLogPosition(position: LogPosition): { major: bigint; minor: bigint } {
  const [major, minor] = position.split('-') as [string, string];
  return { major: BigInt(major), minor: BigInt(minor) };
}

export function maxLogPosition(a: LogPosition, b: LogPosition): LogPosition {
  return a >= b ? a : b;
}
