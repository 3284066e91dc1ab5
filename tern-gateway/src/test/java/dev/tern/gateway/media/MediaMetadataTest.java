package dev.tern.gateway.media;

import dev.tern.gateway.wire.Refused;
import dev.tern.protocol.v1.ErrorCode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** tus Upload-Metadata as the media endpoint reads it: a name and a type, or INVALID_ARGUMENT. */
class MediaMetadataTest {

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void fileNameAndTypeAreReadFromBase64Values() {
        String[] m = MediaHttp.metadata("filename " + b64("cat.png") + ",filetype " + b64("image/png"));
        assertThat(m).containsExactly("cat.png", "image/png");
    }

    @Test
    void aValueThatIsNotBase64IsRefusedWithTheEdgesOwnCode() {
        assertThatThrownBy(() -> MediaHttp.metadata("filename %%%"))
                .isInstanceOfSatisfying(Refused.class, r -> assertThat(r.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }
}
