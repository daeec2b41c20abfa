import { useLocation } from 'preact-iso';
import { unreadCount } from '../inbox';
import { me, sessionKnown, signOut } from '../session';

export function Header() {
  const { route } = useLocation();
  const user = me.value;
  return (
    <header class="site-header">
      <a class="brand" href="/">
        Gavel
      </a>
      <nav aria-label="Main">
        <ul>
          <li>
            <a href="/">Browse</a>
          </li>
          {user && (
            <>
              <li>
                <a href="/sell">Sell</a>
              </li>
              <li>
                <a href="/selling">My selling</a>
              </li>
              <li>
                <a href="/me/bids">My bids</a>
              </li>
              <li>
                <a href="/me/watchlist">Watchlist</a>
              </li>
              <li>
                <a href="/me/orders">Orders</a>
              </li>
              <li>
                <a href="/me/notifications" aria-label={`Notifications, ${unreadCount.value} unread`}>
                  Notifications
                  {unreadCount.value > 0 && (
                    <span class="badge" aria-hidden="true" data-testid="unread-badge">
                      {unreadCount.value}
                    </span>
                  )}
                </a>
              </li>
              {user.role === 'admin' && (
                <li>
                  <a href="/admin">Admin</a>
                </li>
              )}
            </>
          )}
        </ul>
      </nav>
      <div class="account">
        {!sessionKnown.value ? null : user ? (
          <>
            <a href="/account">{user.displayName}</a>
            <button
              type="button"
              class="link"
              onClick={async () => {
                await signOut();
                route('/');
              }}
            >
              Sign out
            </button>
          </>
        ) : (
          <>
            <a href="/sign-in">Sign in</a>
            <a class="button" href="/sign-up">
              Sign up
            </a>
          </>
        )}
      </div>
    </header>
  );
}
