/**
 * The default file storage: {@link dev.tern.blob.fs.FsBlobStore}, the
 * {@link dev.tern.core.blob.BlobStore} port on a directory tree of the local file system.
 *
 * <h2>Layout</h2>
 * <pre>
 * root/
 * ├── ab/
 * │   └── cd/
 * │       └── abcd…(64 hex)          one blob, its bytes as they are, named by their SHA-256
 * └── .tmp/
 *     └── abcd….&lt;random&gt;.tmp      a put in progress (or left by a crash)
 * </pre>
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>A file under {@code xx/yy/} is complete and hashes to its name: it is written under
 *       {@code .tmp/} (same file system), hashed while copied, fsynced, and only then renamed into
 *       place with an atomic rename; the directory is then fsynced so the rename survives a power
 *       cut. A put that fails or refuses the source deletes its temp file.</li>
 *   <li>A crash leaves at worst a file in {@code .tmp/}, never a partial blob. Temp files older than
 *       {@link dev.tern.blob.fs.FsBlobStore#STALE_TEMP} are deleted at open; younger ones may belong
 *       to a put still running in another process on the same directory.</li>
 *   <li>Blobs are never modified in place: a put of an existing key is a no-op, and two racing puts
 *       of one key both rename identical bytes onto the same name, so either wins.</li>
 *   <li>Only names that are valid keys count as blobs: {@code list} ignores anything else under the
 *       root, and the fan-out directories are two lower-case hex characters each, so walking them in
 *       name order yields keys in ascending order.</li>
 *   <li>No blob is ever read into memory whole: copies and reads use 64 KiB buffers.</li>
 * </ul>
 */
package dev.tern.blob.fs;
