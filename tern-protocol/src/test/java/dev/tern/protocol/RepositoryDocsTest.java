package dev.tern.protocol;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the repository's own documents from pointing at what is not there: the README's layout
 * table lists every Maven module, and every Markdown file the documents name exists (relative to
 * the naming document or to the repository root). Both drifted once (issue 14: a layout table
 * without the blob modules, design notes citing a DESIGN.md that is not in the repository).
 */
class RepositoryDocsTest {
    /** Relative to the module directory, which is surefire's working directory. */
    private static final Path ROOT = Path.of("..");
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    private static final Pattern MARKDOWN_NAME = Pattern.compile("[A-Za-z0-9_./-]*[A-Za-z0-9_-]\\.md\\b");

    @Test
    void theReadmeLayoutTableListsEveryModule() throws IOException {
        String pom = Files.readString(ROOT.resolve("pom.xml"), StandardCharsets.UTF_8);
        List<String> readme = Files.readAllLines(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        List<String> missing = new ArrayList<>();
        for (Matcher m = MODULE.matcher(pom); m.find(); ) {
            String row = "| `" + m.group(1) + "` |";
            if (readme.stream().noneMatch(l -> l.startsWith(row))) {
                missing.add(m.group(1));
            }
        }
        assertThat(missing).as("modules of pom.xml without a row in README.md's layout table").isEmpty();
    }

    @Test
    void everyMarkdownFileTheDocumentsNameExists() throws IOException {
        List<Path> documents = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("clients/js/README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        List<String> dangling = new ArrayList<>();
        for (Path doc : documents) {
            Matcher m = MARKDOWN_NAME.matcher(Files.readString(doc, StandardCharsets.UTF_8));
            while (m.find()) {
                String name = m.group();
                if (!Files.exists(doc.getParent().resolve(name)) && !Files.exists(ROOT.resolve(name))) {
                    dangling.add(ROOT.relativize(doc) + " names " + name);
                }
            }
        }
        assertThat(documents).hasSizeGreaterThan(5);
        assertThat(dangling).as("Markdown files named in the documents but not in the repository").isEmpty();
    }
}
