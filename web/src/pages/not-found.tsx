export function NotFound() {
  return (
    <section>
      <h1>Not found</h1>
      <p>
        There is no page here. <a href="/">Browse the auctions</a>.
      </p>
    </section>
  );
}
