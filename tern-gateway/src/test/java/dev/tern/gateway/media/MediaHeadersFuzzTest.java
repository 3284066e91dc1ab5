package dev.tern.gateway.media;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tern.gateway.wire.Refused;
import dev.tern.protocol.v1.ErrorCode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz target for the client-controlled headers the media endpoints parse themselves: tus
 * Upload-Metadata and the download's Range. Properties: metadata yields a file name and type or
 * INVALID_ARGUMENT, nothing else; a range is "serve it all" (null), "not satisfiable" (empty) or
 * a first and last byte inside the file with first <= last.
 */
class MediaHeadersFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void mediaHeaders(FuzzedDataProvider data) {
        long size = data.consumeLong(0, 1L << 40);
        String range = data.consumeString(200);
        String metadata = data.consumeRemainingAsString();

        long[] r = Downloads.range(range, size);
        if (r != null && r.length > 0) {
            assertThat(r).hasSize(2);
            assertThat(r[0]).isBetween(0L, size - 1);
            assertThat(r[1]).isBetween(r[0], size - 1);
        }
        try {
            String[] m = MediaHttp.metadata(metadata);
            assertThat(m).hasSize(2).doesNotContainNull();
        } catch (Refused f) {
            assertThat(f.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        }
    }
}
