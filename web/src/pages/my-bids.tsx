export function MyBids() {
  return <p>Not built yet.</p>;
}
