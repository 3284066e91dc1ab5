package dev.tern.protocol;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.tern.protocol.v1.Frames;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The schema only grows: every field and enum value of the committed snapshot
 * ({@code frames.schema}) keeps its number, name, type and oneof, and the snapshot lists everything
 * the schema has, so each addition is a reviewed change. After adding fields, refresh the snapshot
 * with {@code ./mvnw -pl tern-protocol verify -Dtest=SchemaEvolutionTest -Dtern.schema.update=true}
 * and commit it with the .proto change.
 */
class SchemaEvolutionTest {
    private static final Path SNAPSHOT = Path.of("src/test/resources/dev/tern/protocol/frames.schema");

    /** One line per field and enum value: "{kind} {full name} #{number} = {description}". */
    static Map<String, String> current() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Descriptor m : Frames.getDescriptor().getMessageTypes()) {
            message(m, out);
        }
        for (EnumDescriptor e : Frames.getDescriptor().getEnumTypes()) {
            enumeration(e, out);
        }
        return out;
    }

    private static void message(Descriptor m, Map<String, String> out) {
        for (FieldDescriptor f : m.getFields()) {
            String type = switch (f.getJavaType()) {
                case MESSAGE -> f.getMessageType().getFullName();
                case ENUM -> f.getEnumType().getFullName();
                default -> f.getType().name().toLowerCase(java.util.Locale.ROOT);
            };
            String oneof = f.getRealContainingOneof() == null ? "" : " oneof " + f.getRealContainingOneof().getName();
            out.put("field " + m.getFullName() + " #" + f.getNumber(),
                    f.getName() + " " + (f.isRepeated() ? "repeated " : "") + (f.hasPresence() && !f.isRepeated()
                            && f.getJavaType() != FieldDescriptor.JavaType.MESSAGE && oneof.isEmpty() ? "optional " : "")
                            + type + oneof);
        }
        for (Descriptor nested : m.getNestedTypes()) {
            message(nested, out);
        }
        for (EnumDescriptor e : m.getEnumTypes()) {
            enumeration(e, out);
        }
    }

    private static void enumeration(EnumDescriptor e, Map<String, String> out) {
        for (EnumValueDescriptor v : e.getValues()) {
            out.put("value " + e.getFullName() + " #" + v.getNumber(), v.getName());
        }
    }

    private static Map<String, String> snapshot() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(SNAPSHOT, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf(" = ");
            out.put(line.substring(0, eq), line.substring(eq + 3));
        }
        return out;
    }

    @Test
    void noFieldOrEnumValueOfTheSnapshotChangedOrWentAway() throws IOException {
        if (Boolean.getBoolean("tern.schema.update")) {
            List<String> lines = new ArrayList<>(List.of("# Every field and enum value of frames.proto; see SchemaEvolutionTest."));
            current().forEach((k, v) -> lines.add(k + " = " + v));
            Files.write(SNAPSHOT, lines, StandardCharsets.UTF_8);
        }
        Map<String, String> now = current();
        List<String> broken = new ArrayList<>();
        snapshot().forEach((key, was) -> {
            String is = now.get(key);
            if (!was.equals(is)) {
                broken.add(key + ": was '" + was + "', is " + (is == null ? "gone" : "'" + is + "'"));
            }
        });
        assertThat(broken).as("fields and enum values must never be renumbered, renamed, retyped or removed")
                .isEmpty();
    }

    @Test
    void theSnapshotListsEverythingTheSchemaHas() throws IOException {
        Map<String, String> known = snapshot();
        List<String> added = current().entrySet().stream().filter(e -> !known.containsKey(e.getKey()))
                .map(e -> e.getKey() + " = " + e.getValue()).toList();
        assertThat(added).as("new fields or values: refresh frames.schema (see this test's comment) and commit it")
                .isEmpty();
    }
}
