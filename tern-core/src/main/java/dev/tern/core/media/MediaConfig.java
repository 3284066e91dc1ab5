package dev.tern.core.media;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Media settings, validated on construction.
 *
 * @param staging        directory of the uploads in progress (one file per upload)
 * @param maxUploadBytes largest file accepted (413 above it)
 * @param quotaBytes     bytes of media one user may keep (413 above it); 0: no quota
 * @param uploadTtl      how long an unfinished upload may sit before it expires
 * @param grace          how long unsent media and unreferenced blobs are kept before collection
 * @param linkTtl        lifetime of a signed download link
 * @param allowedTypes   MIME types accepted, exact ("image/png") or by family ("image/*")
 * @param signingKey     secret for signed links (32+ bytes); links stay valid across restarts only
 *                       when it is configured rather than generated
 * @param uploadRate     uploads one user may start (429 with Retry-After above it)
 */
public record MediaConfig(Path staging, long maxUploadBytes, long quotaBytes, Duration uploadTtl, Duration grace,
                          Duration linkTtl, List<String> allowedTypes, byte[] signingKey,
                          dev.tern.core.limits.Rate uploadRate) {
    public MediaConfig {
        if (staging == null) {
            throw new IllegalArgumentException("staging directory is required");
        }
        if (maxUploadBytes < 1) {
            throw new IllegalArgumentException("maxUploadBytes must be positive");
        }
        if (quotaBytes < 0) {
            throw new IllegalArgumentException("quotaBytes must not be negative");
        }
        if (uploadTtl.isNegative() || uploadTtl.isZero() || grace.isNegative() || linkTtl.isNegative()
                || linkTtl.isZero()) {
            throw new IllegalArgumentException("uploadTtl and linkTtl must be positive, grace not negative");
        }
        allowedTypes = List.copyOf(allowedTypes);
        if (signingKey == null || signingKey.length < 32) {
            throw new IllegalArgumentException("signingKey must be at least 32 bytes");
        }
        signingKey = signingKey.clone();
        if (uploadRate == null) {
            throw new IllegalArgumentException("uploadRate is required");
        }
    }

    /** True when {@code mime} is on the allowed list (exactly or by its family, "image/*"). */
    public boolean allows(String mime) {
        String family = mime.contains("/") ? mime.substring(0, mime.indexOf('/')) + "/*" : mime;
        return allowedTypes.contains(mime) || allowedTypes.contains(family) || allowedTypes.contains("*/*");
    }
}
