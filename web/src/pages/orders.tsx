export function Orders() {
  return <p>Not built yet.</p>;
}
