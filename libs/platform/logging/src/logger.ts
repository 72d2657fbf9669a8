import pino, { type Logger, type LoggerOptions } from 'pino';

/**
 * Paths that may hold personal data or secrets. Personal data lives in event payloads' `personal` part and in
 * request bodies; neither is logged, and these paths are censored should one slip into a log call.
 */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.body',
  'res.body',
  '*.personal',
  '*.bsn',
  '*.name',
  '*.naam',
  '*.address',
  '*.adres',
  '*.password',
  '*.token',
];

export function createLogger(options: { level: string; name: string }, destination?: pino.DestinationStream): Logger {
  const config: LoggerOptions = {
    name: options.name,
    level: options.level,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(config, destination) : pino(config);
}

export type { Logger };
