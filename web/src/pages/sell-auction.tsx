export function SellAuction() {
  return <p>Not built yet.</p>;
}
