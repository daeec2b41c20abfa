/**
 * The admin area (docs/api.md, "Moderation" and "Promotions"): accounts, listings, promotions and the
 * audit log. For admins only; the API refuses anyone else whatever this page shows. Workflow-level
 * operations stay in the Temporal UI.
 */
import { AccountTools } from '../components/admin/account-tools';
import { AuditLog } from '../components/admin/audit-log';
import { ListingTools } from '../components/admin/listing-tools';
import { PromotionsPanel } from '../components/admin/promotions-panel';
import { SignInFirst } from '../components/sign-in-first';
import { me } from '../session';

export function Admin() {
  const user = me.value;
  if (!user) return <SignInFirst />;
  if (user.role !== 'admin') return <p>This page is for admins.</p>;
  return (
    <section aria-labelledby="admin-title">
      <h1 id="admin-title">Admin</h1>
      <AccountTools />
      <ListingTools />
      <PromotionsPanel />
      <AuditLog />
    </section>
  );
}
