package dev.tern.core.media;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What the first bytes of a file say it is (magic numbers), to hold a declared MIME type against.
 * Only types with a reliable signature are checked; for the others (application/octet-stream and
 * types without a signature) any bytes pass.
 */
final class Sniff {
    static final int HEAD = 64;

    private Sniff() {
    }

    /** True when the file starting with {@code head} may be of type {@code mime}. */
    static boolean matches(String mime, byte[] head) {
        return switch (mime) {
            case "image/jpeg" -> starts(head, 0xFF, 0xD8, 0xFF);
            case "image/png" -> starts(head, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
            case "image/gif" -> ascii(head, 0, "GIF87a") || ascii(head, 0, "GIF89a");
            case "image/webp" -> ascii(head, 0, "RIFF") && ascii(head, 8, "WEBP");
            case "image/bmp" -> ascii(head, 0, "BM");
            case "audio/wav", "audio/x-wav" -> ascii(head, 0, "RIFF") && ascii(head, 8, "WAVE");
            case "audio/ogg", "video/ogg" -> ascii(head, 0, "OggS");
            case "audio/mpeg" -> ascii(head, 0, "ID3") || head.length > 1 && (head[0] & 0xFF) == 0xFF
                    && (head[1] & 0xE0) == 0xE0;
            case "video/mp4", "audio/mp4", "video/quicktime" -> ascii(head, 4, "ftyp");
            case "video/webm" -> starts(head, 0x1A, 0x45, 0xDF, 0xA3);
            case "application/pdf" -> ascii(head, 0, "%PDF-");
            case "application/zip" -> starts(head, 'P', 'K', 3, 4) || starts(head, 'P', 'K', 5, 6);
            case "text/plain" -> utf8(head);
            default -> true;
        };
    }

    private static boolean starts(byte[] head, int... magic) {
        if (head.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((head[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean ascii(byte[] head, int at, String s) {
        return head.length >= at + s.length()
                && Arrays.equals(head, at, at + s.length(), s.getBytes(StandardCharsets.US_ASCII), 0, s.length());
    }

    /** Valid UTF-8 without NUL bytes, allowing a character cut at the end of the sample. */
    private static boolean utf8(byte[] head) {
        for (byte b : head) {
            if (b == 0) {
                return false;
            }
        }
        for (int cut = 0; cut < 4 && cut <= head.length; cut++) {
            try {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(head, 0, head.length - cut));
                return true;
            } catch (CharacterCodingException e) {
                // maybe a multi-byte character cut by the sample's end: try a shorter prefix
            }
        }
        return false;
    }
}
