// Photos from a phone camera are 3–8 MB: too much for a poor connection, and the server takes at most
// 8 MB of JPEG, PNG or WebP. Large or other-format pictures (HEIC from some phones) are redrawn as a JPEG
// no longer than 1600 px; small ones in an accepted format go as they are.
import { MAX_PHOTO_BYTES } from '../../api/cases.ts';

const ACCEPTED = ['image/jpeg', 'image/png', 'image/webp'];
const MAX_SIDE = 1600;
const KEEP_BELOW = 1_500_000;

export class PhotoError extends Error {
  override name = 'PhotoError';
}

export async function preparePhoto(file: Blob): Promise<Blob> {
  if (ACCEPTED.includes(file.type) && file.size <= KEEP_BELOW) return file;
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    if (ACCEPTED.includes(file.type) && file.size <= MAX_PHOTO_BYTES) return file;
    throw new PhotoError('unreadable');
  }
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.82));
  if (!blob) throw new PhotoError('unreadable');
  if (blob.size > MAX_PHOTO_BYTES) throw new PhotoError('too large');
  return blob;
}
