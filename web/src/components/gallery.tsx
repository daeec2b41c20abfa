import { useState } from 'preact/hooks';
import type { Schemas } from '../api/client';

/** The auction's photos: one large, the others as buttons that show them. */
export function Gallery({ images, title }: { images: Schemas['AuctionImage'][]; title: string }) {
  const [shown, setShown] = useState(0);
  const image = images[shown] ?? images[0];
  if (!image) return <div class="gallery empty">No photos</div>;
  return (
    <div class="gallery">
      <img
        src={image.url}
        width={image.width}
        height={image.height}
        alt={`${title}, photo ${shown + 1} of ${images.length}`}
      />
      {images.length > 1 && (
        <ul class="thumbs">
          {images.map((img, index) => (
            <li key={img.id}>
              <button
                type="button"
                aria-pressed={index === shown}
                onClick={() => setShown(index)}
                aria-label={`Show photo ${index + 1}`}
              >
                <img
                  src={img.url}
                  width={64}
                  height={Math.round((64 * img.height) / img.width)}
                  alt=""
                  loading="lazy"
                />
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
