/**
 * What can stop a command, each with its exit code (docs/cli.md, "Exit codes"): scripts branch on the
 * code, people read the message. The API's own refusals keep its status, code and details.
 */
export const EXIT = {
  ok: 0,
  /** The API answered with an error (4xx or 5xx): its code and message are shown. */
  refused: 1,
  /** Bad arguments or options: nothing was sent. */
  usage: 2,
  /** No session for this API, or it has ended (the refresh token was refused). */
  notSignedIn: 3,
  /** The API could not be reached (refused, timed out, not HTTP). */
  unreachable: 4,
  /** Stopped with Ctrl-C (128 + SIGINT, as shells report it). */
  interrupted: 130,
} as const;

export abstract class CliError extends Error {
  abstract readonly exitCode: number;
  abstract readonly code: string;
  /** What --json prints: the API's error shape, so scripts read one shape whoever refused. */
  toJson(): { error: Record<string, unknown> } {
    return { error: { code: this.code, message: this.message } };
  }
}

export class UsageError extends CliError {
  readonly exitCode = EXIT.usage;
  readonly code = 'USAGE';
}

export class NotSignedInError extends CliError {
  readonly exitCode = EXIT.notSignedIn;
  readonly code = 'NOT_SIGNED_IN';
}

/** Ctrl-C at a prompt or during a watch. */
export class InterruptedError extends CliError {
  readonly exitCode = EXIT.interrupted;
  readonly code = 'INTERRUPTED';
  constructor() {
    super('Stopped.');
  }
}

export class UnreachableError extends CliError {
  readonly exitCode = EXIT.unreachable;
  readonly code = 'UNREACHABLE';
  constructor(
    readonly apiUrl: string,
    reason: string,
  ) {
    super(`Could not reach the API at ${apiUrl}: ${reason}. Is it running? (--api or GAVEL_API sets where it is)`);
  }
}

/** The API's one error shape: `{"error": {"code", "message", ...details}}` (docs/api.md, "Errors"). */
export class ApiRefusal extends CliError {
  readonly exitCode = EXIT.refused;
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  override toJson() {
    return { error: { code: this.code, message: this.message, status: this.status, ...this.details } };
  }
}

/** An answer in the error shape as an ApiRefusal; anything else as one named after its status. */
export function refusalOf(status: number, body: unknown): ApiRefusal {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (error && typeof error.code === 'string') {
    const { code, message, ...details } = error as { code: string; message?: unknown };
    return new ApiRefusal(status, code, typeof message === 'string' ? message : code, details);
  }
  return new ApiRefusal(status, `HTTP_${status}`, `The API answered ${status}`);
}
