export function Selling() {
  return <p>Not built yet.</p>;
}
