/**
 * Sell at auction: the lot, its prices, its schedule and terms, then its pictures. The auction is
 * created first (pictures belong to an auction), then each picture is uploaded in turn with its own
 * progress; when all are up the seller lands on the new auction's page. A picture that fails leaves
 * the auction listed, with the choice to retry it or go on without it.
 */
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, call, type Schemas } from '../api/client';
import { uploadImage } from '../api/upload-image';
import { AuctionTermsFields } from '../components/auction-terms-fields';
import { ErrorNote } from '../components/error-note';
import { ImagePicker, type PickedImage } from '../components/image-picker';
import { ListingBasicsFields } from '../components/listing-basics-fields';
import { ScheduleFields } from '../components/schedule-fields';
import { SignInFirst } from '../components/sign-in-first';
import { auctionRequestOf } from '../sell/auction-request';
import { me } from '../session';

export function SellAuction() {
  const { route } = useLocation();
  const [currency, setCurrency] = useState('EUR');
  const [images, setImages] = useState<PickedImage[]>([]);
  const [created, setCreated] = useState<Schemas['Auction'] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (!me.value) return <SignInFirst />;

  const change = (key: string, update: Partial<PickedImage>) =>
    setImages((known) => known.map((image) => (image.key === key ? { ...image, ...update } : image)));

  /** Uploads what is not up yet, one at a time (the API counts uploads per seller); true when all are. */
  const uploadAll = async (auctionId: string, pending: PickedImage[]): Promise<boolean> => {
    let allUp = true;
    for (const image of pending) {
      change(image.key, { state: 'uploading', progress: 0, error: null });
      try {
        await uploadImage(auctionId, image.file, (progress) => change(image.key, { progress }));
        change(image.key, { state: 'done', progress: 1 });
      } catch (e) {
        change(image.key, { state: 'failed', error: e });
        allUp = false;
      }
    }
    return allUp;
  };

  const finish = async (auction: Schemas['Auction'], pending: PickedImage[]) => {
    if (await uploadAll(auction.id, pending)) route(`/auctions/${auction.id}`);
  };

  const submit = async (form: HTMLFormElement) => {
    setError(null);
    try {
      // Read before the fields are disabled: a disabled field is left out of FormData.
      const body = auctionRequestOf(new FormData(form));
      setBusy(true);
      const auction = await call(() => api.POST('/v1/auctions', { body }));
      setCreated(auction);
      await finish(auction, images);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const failed = images.filter((image) => image.state === 'failed');
  return (
    <section class="sell-form" aria-labelledby="sell-title">
      <h1 id="sell-title">Sell at auction</h1>
      <p>
        Selling many of the same thing at a fixed price? <a href="/sell/sale">Sell a flash sale instead</a>.
      </p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!created) void submit(event.currentTarget);
        }}
      >
        <fieldset disabled={busy || created !== null}>
          <legend>The lot</legend>
          <ListingBasicsFields currency={currency} onCurrency={setCurrency} />
          <div class="field-row">
            <label>
              Starting price ({currency})
              <input name="startingPrice" inputMode="decimal" required autoComplete="off" />
            </label>
            <label>
              Reserve ({currency}, optional, never shown)
              <input name="reservePrice" inputMode="decimal" autoComplete="off" />
            </label>
            <label>
              Buy-now price ({currency}, optional)
              <input name="buyNowPrice" inputMode="decimal" autoComplete="off" />
            </label>
          </div>
          <ScheduleFields />
          <AuctionTermsFields />
        </fieldset>
        <ImagePicker images={images} onChange={setImages} busy={busy || created !== null} />
        <ErrorNote error={error} />
        {!created && (
          <button type="submit" disabled={busy}>
            {busy ? 'Creating…' : 'Create the auction'}
          </button>
        )}
      </form>
      {created && busy && <p role="status">Your auction is created; uploading the pictures…</p>}
      {created && !busy && failed.length > 0 && (
        <div class="result" role="status">
          <p>
            Your auction is listed, but {failed.length} {failed.length === 1 ? 'picture was' : 'pictures were'} not
            uploaded.
          </p>
          <p>
            <button
              type="button"
              onClick={() => {
                setBusy(true);
                void finish(created, failed).finally(() => setBusy(false));
              }}
            >
              Try those again
            </button>{' '}
            <a class="button secondary" href={`/auctions/${created.id}`}>
              Go to the auction without them
            </a>
          </p>
        </div>
      )}
    </section>
  );
}
