import { ApiError } from '../api/errors';

/** An API error in plain words (its message and code), announced to screen readers; nothing when null. */
export function ErrorNote({ error }: { error: unknown }) {
  if (error === null || error === undefined) return null;
  const text =
    error instanceof ApiError
      ? `${error.message} (${error.code})`
      : error instanceof Error
        ? error.message
        : 'Something went wrong; try again.';
  return (
    <p class="error" role="alert">
      {text}
    </p>
  );
}
