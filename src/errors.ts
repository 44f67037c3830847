/** An error caused by bad input (a lockfile, a config file, a command line). Exit code 2, no stack trace. */
export class InputError extends Error {
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  constructor(message: string, where: { file?: string; line?: number; column?: number } = {}) {
    const loc = where.file ? `${where.file}${where.line ? `:${where.line}${where.column ? `:${where.column}` : ''}` : ''}: ` : '';
    super(`${loc}${message}`);
    this.name = 'InputError';
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
  }
}

/** A lockfile that cannot be read: invalid JSON, unknown version, not a lockfile, too large or too deep. */
export class LockfileError extends InputError {
  constructor(message: string, where: { file?: string; line?: number; column?: number } = {}) {
    super(message, where);
    this.name = 'LockfileError';
  }
}

/** An invalid lockwarden configuration file. */
export class ConfigError extends InputError {
  constructor(message: string, where: { file?: string; line?: number; column?: number } = {}) {
    super(message, where);
    this.name = 'ConfigError';
  }
}
