package dev.tern.search.lucene;

import dev.tern.core.search.SearchIndex.Doc;
import dev.tern.core.search.SearchIndex.Position;
import dev.tern.core.search.SearchIndex.Query;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Lucene adapter on a temp dir: matching, scoping, order, paging, replacement and durability. */
class LuceneIndexTest {
    @TempDir
    Path dir;

    private static Query all(String text, Map<Long, Long> scope) {
        return new Query(text, scope, 0, 0, 0, null, 100);
    }

    private static List<Long> seqs(List<Position> hits) {
        return hits.stream().map(Position::seq).toList();
    }

    @Test
    void matchesEveryWordWithinTheScopeNewestFirst() {
        try (LuceneIndex index = LuceneIndex.open(dir)) {
            index.put(new Doc(1, 1, 10, 1000, "Hello Wörld"));
            index.put(new Doc(1, 2, 11, 2000, "hello there"));
            index.put(new Doc(2, 5, 10, 2000, "hello world again"));
            index.put(new Doc(3, 1, 12, 3000, "hello from elsewhere"));
            index.refresh();
            Map<Long, Long> oneAndTwo = Map.of(1L, 1L, 2L, 1L);
            assertThat(index.search(all("HELLO", oneAndTwo))).containsExactly(
                    new Position(2000, 5, 2), new Position(2000, 2, 1), new Position(1000, 1, 1));
            assertThat(seqs(index.search(all("hello world", oneAndTwo)))).containsExactly(5L, 1L);
            // A per-conversation lower bound on seq.
            assertThat(index.search(all("hello", Map.of(1L, 2L)))).containsExactly(new Position(2000, 2, 1));
            // Sender, dates (from inclusive, to exclusive) and paging after a position.
            assertThat(seqs(index.search(new Query("hello", oneAndTwo, 10, 0, 0, null, 10)))).containsExactly(5L, 1L);
            assertThat(seqs(index.search(new Query("hello", oneAndTwo, 0, 1000, 2000, null, 10)))).containsExactly(1L);
            assertThat(index.search(new Query("hello", oneAndTwo, 0, 0, 0, new Position(2000, 5, 2), 10)))
                    .containsExactly(new Position(2000, 2, 1), new Position(1000, 1, 1));
            assertThat(index.search(new Query("hello", oneAndTwo, 0, 0, 0, null, 1))).hasSize(1);
            // Input that is not a word matches nothing instead of failing.
            assertThat(index.search(all("\"(*:? AND -", oneAndTwo))).isEmpty();
        }
    }

    @Test
    void aPutReplacesADeleteRemovesAndOnlyCommittedWorkSurvivesAClose() {
        try (LuceneIndex index = LuceneIndex.open(dir)) {
            assertThat(index.checkpoint()).isEmpty();
            index.put(new Doc(1, 1, 10, 1000, "old words"));
            index.put(new Doc(1, 2, 10, 1000, "doomed words"));
            index.refresh();
            index.put(new Doc(1, 1, 10, 1000, "new text"));
            index.delete(1, 2);
            index.refresh();
            assertThat(index.search(all("words", Map.of(1L, 1L)))).isEmpty();
            assertThat(seqs(index.search(all("new", Map.of(1L, 1L))))).containsExactly(1L);
            index.commit("done");
            index.put(new Doc(1, 3, 10, 1000, "never committed"));
            index.refresh();
            assertThat(seqs(index.search(all("committed", Map.of(1L, 1L))))).containsExactly(3L);
        }
        try (LuceneIndex index = LuceneIndex.open(dir)) {
            assertThat(index.checkpoint()).isEqualTo("done");
            assertThat(seqs(index.search(all("new", Map.of(1L, 1L))))).containsExactly(1L);
            assertThat(index.search(all("committed", Map.of(1L, 1L)))).isEmpty();
            index.deleteAll();
            index.refresh();
            assertThat(index.search(all("new", Map.of(1L, 1L)))).isEmpty();
        }
    }
}
