// Pictures and files: uploads with progress (tus, resumable, via the SDK), thumbnails fetched
// with the session ticket and shown as blob: URLs, and full files opened through signed links
// (a plain <a href> cannot send the ticket; a signed link needs none until it expires).
import { S } from "./state.js";

const thumbs = new Map(); // mediaId -> Promise<object URL>, oldest first
const MAX_THUMBS = 300; // object URLs hold their bytes until revoked: keep the newest only
// Shown in a tab: pictures a browser decodes without script (the server downloads the rest).
const INLINE = new Set(["image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp"]);

/** The thumbnail of a media item as an object URL (fetched once per page). */
export function thumbnailUrl(mediaId) {
  let p = thumbs.get(mediaId);
  if (!p) {
    p = S.client.media.download(mediaId, true).then((blob) => URL.createObjectURL(blob));
    p.catch(() => thumbs.delete(mediaId)); // try again next time it is shown
    thumbs.set(mediaId, p);
    if (thumbs.size > MAX_THUMBS) {
      const [oldest, url] = thumbs.entries().next().value;
      thumbs.delete(oldest);
      url.then((u) => URL.revokeObjectURL(u), () => {});
    }
  }
  return p;
}

/** Opens (images) or downloads (other files) the full media through a signed link. */
export async function openMedia(media) {
  const url = await S.client.media.link(media.mediaId);
  const a = document.createElement("a");
  a.href = url;
  if (INLINE.has(media.mime)) a.target = "_blank";
  else a.download = media.fileName || "file";
  a.rel = "noopener";
  document.body.append(a);
  a.click();
  a.remove();
}

/**
 * Uploads `file` and returns its media id; `progress(fraction)` follows the bytes sent. The
 * browser's own type guess is used; the server checks the bytes against it.
 */
export function upload(file, progress) {
  const mime = file.type || "application/octet-stream";
  // fetch reports no upload progress within a request, so progress moves chunk by chunk: about
  // 50 steps, at least 256 KiB each (each chunk is a request the server makes durable).
  const chunkSize = Math.min(8 << 20, Math.max(256 << 10, Math.ceil(file.size / 50)));
  return S.client.media.upload(file, mime, {
    fileName: file.name || "file",
    chunkSize,
    onProgress: (sent, total) => progress(total ? sent / total : 1),
  });
}

/** Drops cached thumbnails (on log-out). */
export function forgetThumbnails() {
  for (const p of thumbs.values()) p.then((u) => URL.revokeObjectURL(u), () => {});
  thumbs.clear();
}
