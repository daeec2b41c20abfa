/** Recognises a Postgres unique violation of one constraint, wherever it sits in the `cause` chain (drizzle wraps the driver's error). */
const UNIQUE_VIOLATION = '23505';

export function isUniqueViolation(error: unknown, constraint: string): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    if ('code' in current && current.code === UNIQUE_VIOLATION) {
      return 'constraint' in current && current.constraint === constraint;
    }
    current = 'cause' in current ? current.cause : undefined;
  }
  return false;
}
