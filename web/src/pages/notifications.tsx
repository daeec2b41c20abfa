export function Notifications() {
  return <p>Not built yet.</p>;
}
