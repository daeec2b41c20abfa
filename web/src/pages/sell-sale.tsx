export function SellSale() {
  return <p>Not built yet.</p>;
}
