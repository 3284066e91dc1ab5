package dev.tern.core.message;

import org.junit.jupiter.api.Test;

import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class MentionsTest {
    @Test
    void findsDistinctNamesInOrderLowerCased() {
        assertThat(Mentions.names("hi @Bob and @carol_1, also @bob again")).containsExactly("bob", "carol_1");
        assertThat(Mentions.names("@alice: look")).containsExactly("alice");
        assertThat(Mentions.names("thanks @dave.")).containsExactly("dave");
        assertThat(Mentions.names("@first.last is here")).containsExactly("first.last");
    }

    @Test
    void ignoresAddressesShortNamesAndNamesGluedToWords() {
        assertThat(Mentions.names("mail bob@example.com")).isEmpty();
        assertThat(Mentions.names("@al is too short, @@bob is doubled")).isEmpty();
        assertThat(Mentions.names("no at sign at all")).isEmpty();
        assertThat(Mentions.names("@" + "a".repeat(33))).as("longer than a username").isEmpty();
    }

    @Test
    void resolvesAtMostFiftyNames() {
        String text = IntStream.range(0, 80).mapToObj(i -> "@user" + i).collect(Collectors.joining(" "));
        assertThat(Mentions.names(text)).hasSize(Mentions.MAX).startsWith("user0", "user1");
    }
}
