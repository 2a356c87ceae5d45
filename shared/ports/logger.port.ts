import type { OutcomeCode } from '../core/codes.js';

export type Severity = 'DEBUG' | 'INFO' | 'NOTICE' | 'WARNING' | 'ERROR' | 'CRITICAL';

export interface LogFields {
  code?: OutcomeCode;
  /** Bar id of the tick this line belongs to. */
  tick?: string;
  [field: string]: unknown;
}

export interface Logger {
  log(severity: Severity, message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose every line carries these fields too (e.g. the tick id). */
  child(fields: LogFields): Logger;
}
