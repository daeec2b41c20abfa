/** Cancelling a listing: asked first, with the reason buyers and watchers are told. */
import { useState } from 'preact/hooks';
import { textField } from '../form-data';
import { useAction } from '../use-action';
import { ErrorNote } from './error-note';

interface Props {
  title: string;
  onCancel: (reason: string) => Promise<void>;
}

export function CancelForm({ title, onCancel }: Props) {
  const [asking, setAsking] = useState(false);
  const { busy, error, run } = useAction();
  if (!asking)
    return (
      <button type="button" class="secondary" onClick={() => setAsking(true)}>
        Cancel…
      </button>
    );
  return (
    <form
      aria-label={`Cancel ${title}`}
      onSubmit={async (event) => {
        event.preventDefault();
        const reason = textField(new FormData(event.currentTarget), 'reason').trim();
        if (await run(() => onCancel(reason))) setAsking(false);
      }}
    >
      <label>
        Why are you cancelling?
        <input name="reason" required maxLength={500} />
      </label>
      <button type="submit" class="danger" disabled={busy}>
        Yes, cancel it
      </button>
      <button type="button" class="secondary" onClick={() => setAsking(false)}>
        Keep it
      </button>
      <ErrorNote error={error} />
    </form>
  );
}
