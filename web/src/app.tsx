/**
 * The shell: header, navigation and the routes. Pages other than the listing load on demand, so the
 * auction page a shared link opens downloads only what it shows.
 */
import { ErrorBoundary, LocationProvider, Route, Router, lazy } from 'preact-iso';
import { Header } from './components/header';
import { SignInError } from './components/sign-in-error';
import { Browse } from './pages/browse';

const AuctionPage = lazy(() => import('./pages/auction').then((m) => m.AuctionPage));
const SalePage = lazy(() => import('./pages/sale').then((m) => m.SalePage));
const SignIn = lazy(() => import('./pages/sign-in').then((m) => m.SignIn));
const SignUp = lazy(() => import('./pages/sign-up').then((m) => m.SignUp));
const Account = lazy(() => import('./pages/account').then((m) => m.Account));
const SellAuction = lazy(() => import('./pages/sell-auction').then((m) => m.SellAuction));
const SellSale = lazy(() => import('./pages/sell-sale').then((m) => m.SellSale));
const Selling = lazy(() => import('./pages/selling').then((m) => m.Selling));
const MyBids = lazy(() => import('./pages/my-bids').then((m) => m.MyBids));
const Watchlist = lazy(() => import('./pages/watchlist').then((m) => m.Watchlist));
const Notifications = lazy(() => import('./pages/notifications').then((m) => m.Notifications));
const Orders = lazy(() => import('./pages/orders').then((m) => m.Orders));
const OrderPage = lazy(() => import('./pages/order').then((m) => m.OrderPage));
const OfferPage = lazy(() => import('./pages/offer').then((m) => m.OfferPage));
const Settings = lazy(() => import('./pages/settings').then((m) => m.Settings));
const Admin = lazy(() => import('./pages/admin').then((m) => m.Admin));
const NotFound = lazy(() => import('./pages/not-found').then((m) => m.NotFound));

/**
 * The paths the router handles; a link into the API (/v1/..., such as the SSO buttons' start route, which
 * redirects to the provider) must be a real page load, not a route of the app ("Not found").
 */
const APP_PATHS = /^\/(?!v1\/)/;

export function App() {
  return (
    <LocationProvider scope={APP_PATHS}>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <Header />
      <main id="main" tabIndex={-1}>
        <SignInError />
        <ErrorBoundary>
          <Router>
            <Route path="/" component={Browse} />
            <Route path="/auctions/:id" component={AuctionPage} />
            <Route path="/sales/:id" component={SalePage} />
            <Route path="/sign-in" component={SignIn} />
            <Route path="/sign-up" component={SignUp} />
            <Route path="/account" component={Account} />
            <Route path="/sell" component={SellAuction} />
            <Route path="/sell/sale" component={SellSale} />
            <Route path="/selling" component={Selling} />
            <Route path="/me/bids" component={MyBids} />
            <Route path="/me/watchlist" component={Watchlist} />
            <Route path="/me/notifications" component={Notifications} />
            <Route path="/me/orders" component={Orders} />
            <Route path="/me/settings" component={Settings} />
            <Route path="/orders/:id" component={OrderPage} />
            <Route path="/offers/:id" component={OfferPage} />
            <Route path="/admin" component={Admin} />
            <Route default component={NotFound} />
          </Router>
        </ErrorBoundary>
      </main>
    </LocationProvider>
  );
}
