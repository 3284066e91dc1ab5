package dev.tern.core.message;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The @usernames a message text mentions. */
final class Mentions {
    // A name as Usernames allows it (3-32 of [a-z0-9_.], any case), not glued to a word or an address.
    private static final Pattern AT = Pattern.compile("(?<![\\p{Alnum}_.@])@([A-Za-z0-9_.]{3,32})(?![A-Za-z0-9_])");
    /** Mentions beyond this many in one message are not resolved (nobody writes more; a flood is bounded). */
    static final int MAX = 50;

    private Mentions() {}

    /** Distinct lower-cased names in order of appearance, at most {@link #MAX}. */
    static List<String> names(String text) {
        if (text.indexOf('@') < 0) {
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        Matcher m = AT.matcher(text);
        while (m.find() && out.size() < MAX) {
            String name = m.group(1);
            // A trailing dot ends a sentence ("thanks @bob."), it is not part of the name.
            while (name.endsWith(".")) {
                name = name.substring(0, name.length() - 1);
            }
            if (name.length() >= 3) {
                out.add(name.toLowerCase(Locale.ROOT));
            }
        }
        return new ArrayList<>(out);
    }
}
