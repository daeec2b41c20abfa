/**
 * The pictures of a new lot: chosen with a file input, previewed as data: URLs (the CSP allows data:
 * images but not blob:), each with how its upload goes once the auction exists.
 */
import { ErrorNote } from './error-note';

export const IMAGE_TYPES = 'image/jpeg,image/png,image/webp';

export interface PickedImage {
  key: string;
  file: File;
  preview: string | null;
  state: 'waiting' | 'uploading' | 'done' | 'failed';
  progress: number;
  error: unknown;
}

const readAsDataUrl = (file: File): Promise<string> =>
  new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string); // readAsDataURL gives a string
    reader.onerror = () => reject(reader.error ?? new Error('unreadable file'));
    reader.readAsDataURL(file);
  });

/** New entries for the chosen files, with their previews read. */
export async function pick(files: FileList | null): Promise<PickedImage[]> {
  return Promise.all(
    [...(files ?? [])].map(async (file) => ({
      key: crypto.randomUUID(),
      file,
      preview: await readAsDataUrl(file).catch(() => null),
      state: 'waiting' as const,
      progress: 0,
      error: null,
    })),
  );
}

function statusOf(image: PickedImage): string {
  if (image.state === 'uploading') return `Uploading… ${Math.round(image.progress * 100)}%`;
  if (image.state === 'done') return 'Uploaded';
  if (image.state === 'failed') return 'Not uploaded';
  return 'Uploads once the auction is created';
}

interface Props {
  images: PickedImage[];
  onChange: (images: PickedImage[]) => void;
  busy: boolean;
}

export function ImagePicker({ images, onChange, busy }: Props) {
  return (
    <fieldset>
      <legend>Pictures</legend>
      <label>
        Add pictures (JPEG, PNG or WebP, up to 10 MiB each)
        <input
          type="file"
          name="images"
          multiple
          accept={IMAGE_TYPES}
          disabled={busy}
          onChange={async (event) => {
            const input = event.currentTarget;
            onChange([...images, ...(await pick(input.files))]);
            input.value = ''; // choosing the same file again adds it again
          }}
        />
      </label>
      {images.length > 0 && (
        <ul class="previews" aria-label="Chosen pictures">
          {images.map((image) => (
            <li key={image.key} data-testid="image-preview">
              {image.preview ? <img src={image.preview} alt={image.file.name} /> : <span>{image.file.name}</span>}
              <span role="status" class={image.state === 'failed' ? 'error' : 'muted'}>
                {statusOf(image)}
              </span>
              {image.state === 'uploading' && (
                <progress max={1} value={image.progress} aria-label={`Uploading ${image.file.name}`} />
              )}
              <ErrorNote error={image.error} />
              {image.state === 'waiting' && !busy && (
                <button
                  type="button"
                  class="link"
                  onClick={() => onChange(images.filter((other) => other.key !== image.key))}
                >
                  Remove {image.file.name}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
