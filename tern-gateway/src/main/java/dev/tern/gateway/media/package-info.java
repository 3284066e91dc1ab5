/**
 * Media over HTTP ({@code /media/...}, docs/openapi.yaml): resumable uploads (tus 1.0.0: create,
 * append, HEAD for the offset, cancel), signed links, and downloads with ETags and byte ranges.
 *
 * <p>Invariants: bodies stream in both directions on a virtual thread per request, never whole in
 * memory; the connection is read only as fast as the upload is written ({@link
 * dev.tern.gateway.media.BodyStream}) and written only as fast as the client reads; this package
 * sees media through the core's views ({@link dev.tern.core.media.Upload},
 * {@link dev.tern.core.media.MediaFile}), never the store's records; someone else's upload or media
 * answers exactly like a missing one (404).
 */
package dev.tern.gateway.media;
