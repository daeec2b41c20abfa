export function Settings() {
  return <p>Not built yet.</p>;
}
