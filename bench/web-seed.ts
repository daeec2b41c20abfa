/**
 * What the web bench's pages show, made through the API as people make it: a seller and three
 * bidders, a dozen open auctions (one with two photos and a few bids), bids on some others, and a
 * flash sale, so the listing and the auction page carry the content they carry in use.
 */
import { AUCTION_CATEGORIES } from '../domain/categories.js';
import { createSale } from '../test/helpers/flash-sales.js';
import { call, signUp, type AuctionJson } from '../test/helpers/http.js';
import { makeJpeg, makePng } from '../test/helpers/images.js';

const LOTS = [
  ['Walnut writing slope, brass corners', 'A Victorian walnut writing slope with its original brass corners and key.'],
  ['Leica M3 rangefinder camera', 'Double-stroke body from 1955, shutter serviced last year, with a Summicron 50 mm.'],
  ['First edition of The Hobbit', 'George Allen & Unwin, 1937, with the dust jacket; a small tear at the spine.'],
  ['Art deco table lamp', 'Chrome and opaline glass, rewired, 42 cm tall.'],
  ['Oak school desk', 'With an inkwell and a lid that lifts; some carved initials.'],
  ['Silver pocket watch', 'Hallmarked Birmingham 1902, keeps time, with a new crystal.'],
  ['Concert poster, 1969', 'Original screen print, folded once, 50 × 70 cm.'],
  ['Teak sideboard', 'Danish, 1960s, three drawers and two sliding doors.'],
  ['Brass ship compass', 'Gimballed, in its wooden box.'],
  ['Hand-knotted wool rug', 'Red and indigo, 200 × 140 cm, cleaned.'],
  ['Vintage road bicycle', 'Steel frame, 56 cm, Campagnolo groupset.'],
  ['Porcelain teapot', 'Blue and white, lid intact, a hairline crack at the handle.'],
] as const;

export interface SeededCatalogue {
  /** The auction the bench opens: two photos, several bids. */
  featuredAuctionId: string;
  auctionIds: string[];
  saleId: string;
}

async function upload(apiUrl: string, token: string, auctionId: string, bytes: Buffer, name: string): Promise<void> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), name);
  const response = await fetch(`${apiUrl}/v1/auctions/${auctionId}/images`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  if (response.status !== 201) throw new Error(`image upload: ${response.status} ${await response.text()}`);
}

async function bid(apiUrl: string, token: string, auctionId: string, amount: number): Promise<void> {
  const placed = await call(`${apiUrl}/v1/auctions/${auctionId}/bids`, { token, body: { amount } });
  if (placed.status !== 201) throw new Error(`bid: ${placed.status} ${JSON.stringify(placed.body)}`);
}

export async function seedCatalogue(apiUrl: string): Promise<SeededCatalogue> {
  const seller = await signUp(apiUrl, 'Seller');
  const bidders = await Promise.all(['Ada', 'Ben', 'Chloe'].map((name) => signUp(apiUrl, name)));
  const auctionIds: string[] = [];
  for (const [i, [title, description]] of LOTS.entries()) {
    const created = await call<AuctionJson>(`${apiUrl}/v1/auctions`, {
      token: seller.token,
      body: {
        title,
        description,
        category: AUCTION_CATEGORIES[i % AUCTION_CATEGORIES.length],
        startingPrice: 1_000 + i * 750,
        endsAt: new Date(Date.now() + (i + 1) * 3_600_000 * 6).toISOString(),
      },
    });
    if (created.status !== 201) throw new Error(`auction: ${created.status} ${JSON.stringify(created.body)}`);
    auctionIds.push(created.body.id);
  }
  const featured = auctionIds[0]!;
  // A photo as a seller takes it (4:3) and a square one.
  await upload(apiUrl, seller.token, featured, makeJpeg(1200, 900), 'slope.jpg');
  await upload(apiUrl, seller.token, featured, makePng(600, 600), 'key.png');
  // A bid war on the featured lot, a bid or two on some others.
  let amount = 1_000;
  for (let round = 0; round < 2; round++) {
    for (const bidder of bidders) await bid(apiUrl, bidder.token, featured, (amount += 500));
  }
  for (const [i, auctionId] of auctionIds.slice(1).entries()) {
    if (i % 3 === 0) await bid(apiUrl, bidders[i % bidders.length]!.token, auctionId, 1_000 + (i + 1) * 750 + 100);
  }
  const sale = await createSale(apiUrl, seller.token, { title: 'Gavel tote bag', stock: 50, perUserLimit: 2 });
  return { featuredAuctionId: featured, auctionIds, saleId: sale.id };
}
