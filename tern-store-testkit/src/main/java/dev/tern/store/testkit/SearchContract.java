package dev.tern.store.testkit;

import dev.tern.core.store.DeleteSearchBacklog;
import dev.tern.core.store.MessageRecord;
import dev.tern.core.store.SearchBacklogRecord;
import dev.tern.core.store.UserRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.tern.store.testkit.Samples.messages;
import static dev.tern.store.testkit.Samples.user;
import static org.assertj.core.api.Assertions.assertThat;

/** What search needs of a store: the backlog queue, the full message scan and name prefixes. */
public interface SearchContract extends StoreFixture {

    @Test
    default void theSearchBacklogIsAQueueInIdOrderDeletedAsAPrefix() {
        assertThat(store().lastSearchBacklogId()).isZero();
        assertThat(store().searchBacklog(0, 10)).isEmpty();
        List<SearchBacklogRecord> entries = new ArrayList<>();
        for (long id : new long[] {1, 2, 255, 256, 70_000}) {
            entries.add(new SearchBacklogRecord(id, 300 + id, id * 2));
        }
        store().write(new ArrayList<>(entries));
        assertThat(store().searchBacklog(0, 10)).containsExactlyElementsOf(entries);
        assertThat(store().searchBacklog(2, 2)).containsExactly(entries.get(2), entries.get(3));
        assertThat(store().lastSearchBacklogId()).isEqualTo(70_000);

        store().write(List.of(new DeleteSearchBacklog(256)));
        assertThat(store().searchBacklog(0, 10)).containsExactly(entries.get(4));
        store().write(List.of(new DeleteSearchBacklog(-1)));
        assertThat(store().searchBacklog(0, 10)).as("ids are non-negative: nothing is at or below -1")
                .containsExactly(entries.get(4));
        store().write(List.of(new DeleteSearchBacklog(70_000)));
        assertThat(store().searchBacklog(0, 10)).isEmpty();
        assertThat(store().lastSearchBacklogId()).isZero();

        store().write(List.of(new SearchBacklogRecord(Long.MAX_VALUE, 1, 1), new SearchBacklogRecord(3, 1, 2)));
        assertThat(store().lastSearchBacklogId()).isEqualTo(Long.MAX_VALUE);
        store().write(List.of(new DeleteSearchBacklog(Long.MAX_VALUE)));
        assertThat(store().searchBacklog(0, 10)).as("up to the greatest id is everything").isEmpty();
    }

    @Test
    default void messagesAfterScansEveryConversationInKeyOrder() {
        List<MessageRecord> all = new ArrayList<>();
        all.addAll(messages(1, 1, 3));
        all.addAll(messages(256, 1, 2));
        all.addAll(messages(70_000, 5, 6));
        store().write(new ArrayList<>(all));
        List<String> keys = new ArrayList<>();
        long conv = 0;
        long seq = 0;
        List<MessageRecord> page;
        while (!(page = store().messagesAfter(conv, seq, 2)).isEmpty()) {
            page.forEach(m -> keys.add(m.conversationId() + "/" + m.seq()));
            conv = page.getLast().conversationId();
            seq = page.getLast().seq();
        }
        assertThat(keys).containsExactly("1/1", "1/2", "1/3", "256/1", "256/2", "70000/5", "70000/6");
    }

    @Test
    default void usersByNamePrefixAreInNameOrderAndSkipNamesGivenUp() {
        store().write(List.of(user(1, "anna"), user(2, "annabel"), user(3, "anton"), user(4, "bob")));
        store().write(List.of(user(2, "zed"))); // a rename leaves "annabel" in the name index
        assertThat(store().usersByNamePrefix("an", 10)).extracting(UserRecord::username).containsExactly("anna", "anton");
        assertThat(store().usersByNamePrefix("an", 1)).extracting(UserRecord::username).containsExactly("anna");
        assertThat(store().usersByNamePrefix("anna", 10)).extracting(UserRecord::id).containsExactly(1L);
        assertThat(store().usersByNamePrefix("c", 10)).isEmpty();
    }
}
