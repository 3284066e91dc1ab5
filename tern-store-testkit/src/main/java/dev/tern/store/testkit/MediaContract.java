package dev.tern.store.testkit;

import dev.tern.core.store.BlobRefRecord;
import dev.tern.core.store.DeleteBlobRef;
import dev.tern.core.store.DeleteMedia;
import dev.tern.core.store.DeleteUpload;
import dev.tern.core.store.MediaRecord;
import dev.tern.core.store.MediaUseRecord;
import dev.tern.core.store.UploadRecord;
import dev.tern.core.store.UsageRecord;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Uploads in progress, media records, where media was sent, blob reference counts and usage. */
public interface MediaContract extends StoreFixture {

    @Test
    default void uploadsRoundTripArePagedInIdOrderAndDeleted() {
        UploadRecord a = new UploadRecord("0a", 3, 1L << 31, "image/png", "cat.png", 5, 9);
        UploadRecord b = new UploadRecord("0b", 4, 10, "application/pdf", "", 6, 10);
        UploadRecord c = new UploadRecord("ff", 3, 0, "text/plain", "é.txt", 7, 11);
        store().write(List.of(c, a, b));

        assertThat(store().upload("0a")).hasValue(a);
        assertThat(store().upload("0c")).isEmpty();
        assertThat(store().uploads("", 10)).containsExactly(a, b, c);
        assertThat(store().uploads("0a", 1)).containsExactly(b);
        assertThat(store().uploads("ff", 10)).isEmpty();

        store().write(List.of(new DeleteUpload("0b")));
        assertThat(store().uploads("", 10)).containsExactly(a, c);
    }

    @Test
    default void mediaAndTheirUsesRoundTrip() {
        MediaRecord m = new MediaRecord("m1", 3, "ab".repeat(32), 1234, "image/jpeg", "p.jpg", 640, 480,
                "cd".repeat(32), 99, 77, 4321);
        store().write(List.of(m, new MediaUseRecord("m1", 256, 3), new MediaUseRecord("m1", 5, 9),
                new MediaUseRecord("m10", 5, 1)));

        assertThat(store().media("m1")).hasValue(m);
        assertThat(store().media("m2")).isEmpty();
        assertThat(store().mediaUses("m1", 10)).containsExactly(new MediaUseRecord("m1", 5, 9),
                new MediaUseRecord("m1", 256, 3));
        assertThat(store().mediaUses("m1", 1)).hasSize(1);
        assertThat(store().mediaUses("m10", 10)).containsExactly(new MediaUseRecord("m10", 5, 1));
        assertThat(store().mediaUses("m", 10)).isEmpty();

        store().write(List.of(new DeleteMedia("m1")));
        assertThat(store().media("m1")).isEmpty();
    }

    @Test
    default void blobReferencesFindTheUnreferencedOnesAndUsageAddsUp() {
        store().write(List.of(new BlobRefRecord("aa", 2, 10, 0), new BlobRefRecord("bb", 0, 20, 100),
                new BlobRefRecord("cc", 0, 30, 500), new UsageRecord(3, 60)));

        assertThat(store().blobRef("aa")).hasValue(new BlobRefRecord("aa", 2, 10, 0));
        assertThat(store().unreferencedBlobs(1000, 10)).extracting(BlobRefRecord::sha256).containsExactly("bb", "cc");
        assertThat(store().unreferencedBlobs(200, 10)).extracting(BlobRefRecord::sha256).containsExactly("bb");
        assertThat(store().unreferencedBlobs(1000, 1)).hasSize(1);
        assertThat(store().usage(3)).isEqualTo(60);
        assertThat(store().usage(4)).isZero();

        store().write(List.of(new DeleteBlobRef("bb")));
        assertThat(store().blobRef("bb")).isEmpty();
        assertThat(store().unreferencedBlobs(1000, 10)).extracting(BlobRefRecord::sha256).containsExactly("cc");
    }
}
