import type { Logger } from '../../../src/logger.js';

export interface LoggedLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, unknown>;
}

/** A logger that remembers every line, so tests can assert the warnings scrapers must emit. */
export function spyLogger(lines: LoggedLine[] = []): Logger & { lines: LoggedLine[]; warnings(): LoggedLine[] } {
  const write = (level: LoggedLine['level']) => (message: string, fields: Record<string, unknown> = {}) => {
    lines.push({ level, message, fields });
  };
  const logger = {
    lines,
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: () => logger,
    warnings: () => lines.filter((line) => line.level === 'warn'),
  };
  return logger;
}
