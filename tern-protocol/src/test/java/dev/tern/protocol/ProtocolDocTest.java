package dev.tern.protocol;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.tern.protocol.v1.ClientFrame;
import dev.tern.protocol.v1.ErrorCode;
import dev.tern.protocol.v1.ServerFrame;
import dev.tern.protocol.v1.Update;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps docs/protocol.md in step with the code: the error table matches {@link ErrorTable}, every
 * request type is documented and has its row in the session and overload tables, every update kind
 * is described, every retryable code has its retry hint explained, the configuration defaults
 * match tern.properties.example, and every JSON example is a valid frame in canonical form. The
 * document is for client authors, who never read the code: it names no source file.
 */
class ProtocolDocTest {
    /** Relative to the module directory, which is surefire's working directory. */
    private static final Path DOC = Path.of("..", "docs", "protocol.md");
    private static final Path EXAMPLE_CONFIG = Path.of("..", "tern.properties.example");
    private static final String TABLE_HEADER = "|code|name|retryable|meaning|";
    private static final Pattern ROW = Pattern.compile(
            "^\\|\\s*(\\d+)\\s*\\|\\s*([A-Z][A-Z0-9_]*)\\s*\\|\\s*(yes|no)\\s*\\|\\s*(.*?)\\s*\\|\\s*$");
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`\\n]+)`");

    private record Row(int number, String name, boolean retryable, String meaning) {}

    private static List<String> lines;

    @BeforeAll
    static void read() throws IOException {
        assertThat(DOC).as("docs/protocol.md (looked up from %s)", Path.of("").toAbsolutePath()).isRegularFile();
        lines = Files.readAllLines(DOC, StandardCharsets.UTF_8);
    }

    @Test
    void errorTableHasOneCorrectRowPerErrorCode() {
        Map<String, Row> rows = errorTable();
        List<String> problems = new ArrayList<>();
        for (ErrorCode code : ErrorCode.values()) {
            if (code == ErrorCode.ERROR_CODE_UNSPECIFIED || code == ErrorCode.UNRECOGNIZED) {
                continue;
            }
            ErrorTable.Entry entry = ErrorTable.of(code);
            Row row = rows.get(code.name());
            if (row == null) {
                problems.add("no row `| " + code.getNumber() + " | " + code.name() + " | "
                        + yesNo(entry.retryable()) + " | ... |`");
                continue;
            }
            if (row.number() != code.getNumber()) {
                problems.add(code.name() + ": code column is " + row.number() + ", the .proto says " + code.getNumber());
            }
            if (row.retryable() != entry.retryable()) {
                problems.add(code.name() + ": retryable column is " + yesNo(row.retryable())
                        + ", ErrorTable says " + yesNo(entry.retryable()));
            }
            if (!row.meaning().equals(entry.meaning())) {
                problems.add(code.name() + ": meaning is \"" + row.meaning() + "\", ErrorTable says \""
                        + entry.meaning() + "\"");
            }
        }
        for (String name : rows.keySet()) {
            if (!isDocumentedCode(name)) {
                problems.add("row for " + name + ", which is not an ErrorCode with a table entry");
            }
        }
        assertThat(problems).as("error table in docs/protocol.md").isEmpty();
    }

    @Test
    void everyClientFrameTypeIsAHeadingOrCodeSpan() {
        assertThat(undocumented(ClientFrame.getDescriptor().getOneofs().get(0).getFields()))
                .as("ClientFrame request types missing from docs/protocol.md").isEmpty();
    }

    @Test
    void everyServerFrameTypeIsAHeadingOrCodeSpan() {
        assertThat(undocumented(ServerFrame.getDescriptor().getOneofs().get(0).getFields()))
                .as("ServerFrame response/push types missing from docs/protocol.md").isEmpty();
    }

    @Test
    void everyJsonExampleIsACanonicalFrame() {
        List<String> examples = jsonExampleLines();
        assertThat(examples).as("JSON examples in docs/protocol.md").hasSizeGreaterThan(20);
        List<String> problems = new ArrayList<>();
        for (String line : examples) {
            String asClient = canonical(line, ClientFrame::newBuilder);
            String asServer = canonical(line, ServerFrame::newBuilder);
            boolean validRequest = line.equals(asClient) && FrameCodec.decodeJson(line) instanceof FrameCodec.Frame;
            if (!validRequest && !line.equals(asServer)) {
                problems.add("neither a request the server accepts nor a canonical ServerFrame: " + line
                        + "\n    as ClientFrame: " + asClient + " -> " + FrameCodec.decodeJson(line)
                        + "\n    as ServerFrame: " + asServer);
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theSessionTableHasOneRowPerRequestWithARealResponse() {
        String header = "|request(`ClientFrame`field)|needsasession|successresponse(`ServerFrame`field)|";
        assertThat(column(header, 0)).as("requests in the session table (section 4)").doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(jsonNames(ClientFrame.getDescriptor().getOneofs().get(0).getFields()));
        Set<String> responses = jsonNames(ServerFrame.getDescriptor().getOneofs().get(0).getFields());
        assertThat(table(header)).as("session table rows whose response is not a ServerFrame body")
                .filteredOn(row -> spans(row.get(2)).isEmpty() || !responses.contains(spans(row.get(2)).getFirst()))
                .isEmpty();
    }

    @Test
    void theOverloadTableGivesEveryRequestOnePriority() {
        assertThat(column("|priority|requests|refusedwhenthebacklogexceeds|", 1))
                .as("requests in the overload table (section 5)").doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(jsonNames(ClientFrame.getDescriptor().getOneofs().get(0).getFields()));
    }

    @Test
    void theSyncSectionDescribesEveryUpdateKind() {
        int from = heading("### 4.7 ");
        int to = heading("### 4.8 ");
        Set<String> described = lines.subList(from, to).stream()
                .flatMap(l -> CODE_SPAN.matcher(l).results().map(r -> r.group(1))).collect(Collectors.toSet());
        assertThat(described).as("code spans of section 4.7")
                .containsAll(jsonNames(Update.getDescriptor().getOneofs().get(0).getFields()));
    }

    @Test
    void everyRetryableCodeHasItsRetryHintExplained() {
        List<String> explained = column("|hintcode|retryAfterMs|", 0);
        List<String> retryable = new ArrayList<>();
        ErrorTable.all().forEach(e -> {
            if (e.retryable()) {
                retryable.add(e.code().name());
            }
        });
        assertThat(explained).as("codes in the retry hint table (section 5)").doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(retryable);
    }

    @Test
    void theConfigurableLimitsHaveTheServersDefaults() throws IOException {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (String line : Files.readAllLines(EXAMPLE_CONFIG, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                defaults.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        List<String> problems = new ArrayList<>();
        List<List<String>> rows = table("|configkey|default|meaningforclients|");
        for (List<String> row : rows) {
            String key = spans(row.get(0)).getFirst();
            String documented = row.get(1).equals("*(empty)*") ? "" : spans(row.get(1)).getFirst();
            if (!defaults.containsKey(key)) {
                problems.add(key + " is not a key of tern.properties.example");
            } else if (!defaults.get(key).equals(documented)) {
                problems.add(key + ": documented default '" + documented + "', the server's is '" + defaults.get(key) + "'");
            }
        }
        assertThat(rows).hasSizeGreaterThan(30);
        assertThat(problems).as("section 7 against tern.properties.example").isEmpty();
    }

    @Test
    void clientAuthorsAreNeverSentToTheCode() {
        assertThat(lines).as("lines naming a source file").noneMatch(l -> l.contains(".java"));
    }

    /** The rows of the table under the `| code | name | retryable | meaning |` header, by name. */
    private static Map<String, Row> errorTable() {
        int header = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).replaceAll("\\s", "").equals(TABLE_HEADER)) {
                assertThat(header).as("more than one error table header").isEqualTo(-1);
                header = i;
            }
        }
        assertThat(header).as("error table header " + TABLE_HEADER).isNotEqualTo(-1);
        Map<String, Row> rows = new LinkedHashMap<>();
        for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            Matcher m = ROW.matcher(lines.get(i));
            assertThat(m.matches()).as("error table line %d is not `| <number> | <NAME> | <yes|no> | <meaning> |`: %s",
                    i + 1, lines.get(i)).isTrue();
            Row row = new Row(Integer.parseInt(m.group(1)), m.group(2), m.group(3).equals("yes"), m.group(4));
            assertThat(rows.put(row.name(), row)).as("duplicate row for " + row.name()).isNull();
        }
        return rows;
    }

    /** The cells of each row under the header (compared without spaces), header and rule excluded. */
    private static List<List<String>> table(String header) {
        int at = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).replaceAll("\\s", "").equals(header)) {
                assertThat(at).as("more than one table " + header).isEqualTo(-1);
                at = i;
            }
        }
        assertThat(at).as("table " + header).isNotEqualTo(-1);
        List<List<String>> rows = new ArrayList<>();
        for (int i = at + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String line = lines.get(i).strip();
            rows.add(java.util.Arrays.stream(line.substring(1, line.length() - 1).split("\\|")).map(String::strip).toList());
        }
        assertThat(rows).as("rows of " + header).isNotEmpty();
        return rows;
    }

    /** The code spans of one column of a table, row after row. */
    private static List<String> column(String header, int column) {
        return table(header).stream().flatMap(row -> spans(row.get(column)).stream()).toList();
    }

    private static List<String> spans(String cell) {
        return CODE_SPAN.matcher(cell).results().map(r -> r.group(1)).toList();
    }

    private static Set<String> jsonNames(List<FieldDescriptor> fields) {
        return fields.stream().map(FieldDescriptor::getJsonName).collect(Collectors.toSet());
    }

    private static int heading(String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no heading " + prefix);
    }

    private static boolean isDocumentedCode(String name) {
        try {
            ErrorCode code = ErrorCode.valueOf(name);
            return code != ErrorCode.ERROR_CODE_UNSPECIFIED && code != ErrorCode.UNRECOGNIZED;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** JSON names of the given fields that are neither a code span nor a word in a heading. */
    private static List<String> undocumented(List<FieldDescriptor> fields) {
        Set<String> spans = lines.stream().flatMap(l -> CODE_SPAN.matcher(l).results().map(r -> r.group(1).strip()))
                .collect(Collectors.toSet());
        List<String> headings = lines.stream().filter(l -> l.startsWith("#")).toList();
        List<String> missing = new ArrayList<>();
        for (FieldDescriptor f : fields) {
            String name = f.getJsonName();
            Pattern word = Pattern.compile("(?<![A-Za-z0-9_])" + Pattern.quote(name) + "(?![A-Za-z0-9_])");
            if (!spans.contains(name) && headings.stream().noneMatch(h -> word.matcher(h).find())) {
                missing.add(name);
            }
        }
        return missing;
    }

    /** Every non-blank line inside a ```json fence. */
    private static List<String> jsonExampleLines() {
        List<String> out = new ArrayList<>();
        boolean inJson = false;
        boolean inFence = false;
        for (String line : lines) {
            if (line.startsWith("```")) {
                if (inFence) {
                    inFence = false;
                    inJson = false;
                } else {
                    inFence = true;
                    inJson = line.substring(3).strip().split("\\s+")[0].equals("json");
                }
            } else if (inJson && !line.isBlank()) {
                out.add(line.strip());
            }
        }
        return out;
    }

    /** The line parsed strictly as the given message and printed the way the server prints, or the parse error. */
    private static String canonical(String json, Supplier<? extends Message.Builder> builder) {
        Message.Builder b = builder.get();
        try {
            JsonFormat.parser().merge(json, b);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            return "(" + e.getMessage() + ")";
        }
        return FrameCodec.toJson(b);
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }
}
