/**
 * An account as admins see it (GET /v1/admin/users/{id}), and what they may do to it: block or unblock
 * with a reason, grant or take back the admin role. Each answer replaces what is shown.
 */
import { useState } from 'preact/hooks';
import { api, call, type Schemas } from '../../api/client';
import { textField } from '../../form-data';
import { when } from '../../format';
import { useAction } from '../../use-action';
import { ErrorNote } from '../error-note';

type Account = Schemas['ModeratedUser'];

export function AccountTools() {
  const [account, setAccount] = useState<Account | null>(null);
  const lookup = useAction();
  const change = useAction();

  const act = (work: (id: string, reason: string) => Promise<Account>) => async (event: Event) => {
    event.preventDefault();
    const reason = textField(new FormData(event.currentTarget as HTMLFormElement), 'reason');
    const id = account!.id;
    await change.run(async () => setAccount(await work(id, reason)));
  };

  return (
    <section aria-labelledby="accounts-title">
      <h2 id="accounts-title">Accounts</h2>
      <form
        aria-label="Find an account"
        onSubmit={async (event) => {
          event.preventDefault();
          const id = textField(new FormData(event.currentTarget), 'userId').trim();
          await lookup.run(async () => {
            setAccount(await call(() => api.GET('/v1/admin/users/{id}', { params: { path: { id } } })));
          });
        }}
      >
        <label>
          User id
          <input name="userId" required autoComplete="off" />
        </label>
        <button type="submit" disabled={lookup.busy}>
          Find
        </button>
        <ErrorNote error={lookup.error} />
      </form>
      {account && (
        <div data-testid="account">
          <p>
            <strong>{account.displayName}</strong> &lt;{account.email}&gt; · role {account.role}
            {account.adminByConfig ? ' (by ADMIN_EMAILS)' : ''} ·{' '}
            <span data-testid="account-block">
              {account.blocked
                ? `blocked${account.blockedAt ? ` since ${when(account.blockedAt)}` : ''}: ${account.blockedReason ?? ''}`
                : 'not blocked'}
            </span>
          </p>
          <form
            aria-label={account.blocked ? 'Unblock the account' : 'Block the account'}
            onSubmit={act(async (id, reason) => {
              const path = { params: { path: { id } }, body: { reason } };
              return call(() =>
                account.blocked
                  ? api.POST('/v1/admin/users/{id}/unblock', path)
                  : api.POST('/v1/admin/users/{id}/block', path),
              );
            })}
          >
            <label>
              Reason
              <input name="reason" required maxLength={500} />
            </label>
            <button type="submit" class={account.blocked ? 'secondary' : 'danger'} disabled={change.busy}>
              {account.blocked ? 'Unblock' : 'Block'}
            </button>
          </form>
          {!account.adminByConfig && (
            <button
              type="button"
              class="secondary"
              disabled={change.busy}
              onClick={() =>
                change.run(async () => {
                  const role = account.role === 'admin' ? 'user' : 'admin';
                  const path = { params: { path: { id: account.id } }, body: { role } as const };
                  setAccount(await call(() => api.PUT('/v1/admin/users/{id}/role', path)));
                })
              }
            >
              {account.role === 'admin' ? 'Take back the admin role' : 'Make an admin'}
            </button>
          )}
          <ErrorNote error={change.error} />
        </div>
      )}
    </section>
  );
}
