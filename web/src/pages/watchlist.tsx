export function Watchlist() {
  return <p>Not built yet.</p>;
}
