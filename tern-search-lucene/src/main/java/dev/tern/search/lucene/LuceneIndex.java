package dev.tern.search.lucene;

import dev.tern.core.search.SearchIndex;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The message index on Apache Lucene, in one directory. A document per text message: its key
 * (conversation, seq) as one exact term for replacing and deleting, the numbers as points for
 * filters and doc values for the newest-first sort, the text analysed but not stored (the store
 * holds it; results are rendered from there).
 *
 * <p>({@code Query} below is the port's; Lucene's is spelled out.) Queries are built from the analysed words, never parsed, so no user input can make one fail.
 */
public final class LuceneIndex implements SearchIndex {
    private static final String KEY = "key";
    private static final String CONV = "conv";
    private static final String SEQ = "seq";
    private static final String SENDER = "sender";
    private static final String TS = "ts";
    private static final String TEXT = "text";
    private static final String CHECKPOINT = "tern.checkpoint";
    /** Words of one query at most; the rest are ignored (a query is at most 256 characters anyway). */
    private static final int MAX_WORDS = 32;
    /**
     * Conversations with a per-conversation seq bound in one query at most (the rest are searched
     * without it; the core drops what they may not read). Keeps clear of Lucene's clause limit.
     */
    private static final int MAX_BOUNDED = 256;
    private static final Sort NEWEST_FIRST = new Sort(new SortField(TS, SortField.Type.LONG, true),
            new SortField(SEQ, SortField.Type.LONG, true), new SortField(CONV, SortField.Type.LONG, true));

    private final Directory directory;
    private final Analyzer analyzer;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final String checkpoint;

    private LuceneIndex(Directory directory, Analyzer analyzer, IndexWriter writer, SearcherManager searchers,
                        String checkpoint) {
        this.directory = directory;
        this.analyzer = analyzer;
        this.writer = writer;
        this.searchers = searchers;
        this.checkpoint = checkpoint;
    }

    /** Opens (creating if needed) the index in {@code dir}. Only one process may hold it. */
    public static LuceneIndex open(Path dir) {
        Directory directory = null;
        try {
            Files.createDirectories(dir);
            directory = FSDirectory.open(dir);
            Analyzer analyzer = analyzer();
            IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(analyzer)
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND));
            String checkpoint = "";
            Iterable<Map.Entry<String, String>> data = writer.getLiveCommitData();
            if (data != null) {
                for (Map.Entry<String, String> e : data) {
                    if (e.getKey().equals(CHECKPOINT)) {
                        checkpoint = e.getValue();
                    }
                }
            }
            return new LuceneIndex(directory, analyzer, writer, new SearcherManager(writer, null), checkpoint);
        } catch (IOException e) {
            closeQuietly(directory);
            throw new UncheckedIOException("cannot open the search index at " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Unicode word breaking (UAX #29; CJK ideographs one by one), lower case, accents folded to
     * ASCII where they have a plain form, so "Café" is found by "cafe". No stop words: in chat
     * messages short words carry meaning.
     */
    private static Analyzer analyzer() {
        return new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String field) {
                StandardTokenizer source = new StandardTokenizer();
                TokenStream tokens = new ASCIIFoldingFilter(new LowerCaseFilter(source));
                return new TokenStreamComponents(source, tokens);
            }
        };
    }

    @Override
    public void put(Doc d) {
        Document doc = new Document();
        doc.add(new StringField(KEY, key(d.conversationId(), d.seq()), Field.Store.NO));
        doc.add(new LongPoint(CONV, d.conversationId()));
        doc.add(new NumericDocValuesField(CONV, d.conversationId()));
        doc.add(new LongPoint(SEQ, d.seq()));
        doc.add(new NumericDocValuesField(SEQ, d.seq()));
        doc.add(new LongPoint(TS, d.tsMs()));
        doc.add(new NumericDocValuesField(TS, d.tsMs()));
        doc.add(new LongPoint(SENDER, d.senderId()));
        doc.add(new TextField(TEXT, d.text(), Field.Store.NO));
        io(() -> writer.updateDocument(new Term(KEY, key(d.conversationId(), d.seq())), doc));
    }

    @Override
    public void delete(long conversationId, long seq) {
        io(() -> writer.deleteDocuments(new Term(KEY, key(conversationId, seq))));
    }

    @Override
    public void deleteAll() {
        io(writer::deleteAll);
    }

    @Override
    public void refresh() {
        io(searchers::maybeRefreshBlocking);
    }

    @Override
    public void commit(String checkpoint) {
        writer.setLiveCommitData(Map.of(CHECKPOINT, checkpoint).entrySet());
        io(writer::commit);
    }

    @Override
    public String checkpoint() {
        return checkpoint;
    }

    @Override
    public List<Position> search(Query q) {
        Set<String> words = words(q.text());
        if (words.isEmpty() || q.readableFrom().isEmpty() || q.limit() <= 0) {
            return List.of();
        }
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        for (String w : words) {
            b.add(new TermQuery(new Term(TEXT, w)), Occur.FILTER); // sorted by time: no scores needed
        }
        b.add(scope(q.readableFrom()), Occur.FILTER);
        if (q.senderId() != 0) {
            b.add(LongPoint.newExactQuery(SENDER, q.senderId()), Occur.FILTER);
        }
        if (q.fromMs() > 0 || q.toMs() > 0) {
            b.add(LongPoint.newRangeQuery(TS, q.fromMs(), q.toMs() == 0 ? Long.MAX_VALUE : q.toMs() - 1), Occur.FILTER);
        }
        if (q.before() != null) {
            b.add(olderThan(q.before()), Occur.FILTER);
        }
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                TopFieldDocs top = searcher.search(b.build(), q.limit(), NEWEST_FIRST);
                List<Position> out = new ArrayList<>(top.scoreDocs.length);
                for (ScoreDoc sd : top.scoreDocs) {
                    Object[] v = ((FieldDoc) sd).fields;
                    out.add(new Position((Long) v[0], (Long) v[1], (Long) v[2]));
                }
                return out;
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("search failed: " + e.getMessage(), e);
        }
    }

    /** The distinct analysed words of the query text, in order, at most {@link #MAX_WORDS}. */
    private Set<String> words(String text) {
        Set<String> out = new LinkedHashSet<>();
        try (TokenStream ts = analyzer.tokenStream(TEXT, text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken() && out.size() < MAX_WORDS) {
                out.add(term.toString());
            }
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a String cannot fail
        }
        return out;
    }

    /** Conversations readable from their first message in one set; the others each with their bound. */
    private static org.apache.lucene.search.Query scope(Map<Long, Long> readableFrom) {
        List<Long> whole = new ArrayList<>();
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        int bounded = 0;
        for (Map.Entry<Long, Long> e : readableFrom.entrySet()) {
            if (e.getValue() <= 1 || bounded == MAX_BOUNDED) {
                whole.add(e.getKey());
            } else {
                bounded++;
                any.add(new BooleanQuery.Builder()
                        .add(LongPoint.newExactQuery(CONV, e.getKey()), Occur.FILTER)
                        .add(LongPoint.newRangeQuery(SEQ, e.getValue(), Long.MAX_VALUE), Occur.FILTER)
                        .build(), Occur.SHOULD);
            }
        }
        if (!whole.isEmpty()) {
            any.add(LongPoint.newSetQuery(CONV, whole.stream().mapToLong(Long::longValue).toArray()), Occur.SHOULD);
        }
        return any.setMinimumNumberShouldMatch(1).build();
    }

    /** Positions after {@code p} in the newest-first order: smaller (ts, seq, conv). */
    private static org.apache.lucene.search.Query olderThan(Position p) {
        org.apache.lucene.search.Query sameTs = LongPoint.newExactQuery(TS, p.tsMs());
        org.apache.lucene.search.Query sameSeq = LongPoint.newExactQuery(SEQ, p.seq());
        return new BooleanQuery.Builder()
                .add(LongPoint.newRangeQuery(TS, Long.MIN_VALUE, p.tsMs() - 1), Occur.SHOULD)
                .add(new BooleanQuery.Builder().add(sameTs, Occur.FILTER)
                        .add(LongPoint.newRangeQuery(SEQ, Long.MIN_VALUE, p.seq() - 1), Occur.FILTER).build(), Occur.SHOULD)
                .add(new BooleanQuery.Builder().add(sameTs, Occur.FILTER).add(sameSeq, Occur.FILTER)
                        .add(LongPoint.newRangeQuery(CONV, Long.MIN_VALUE, p.conversationId() - 1), Occur.FILTER).build(),
                        Occur.SHOULD)
                .setMinimumNumberShouldMatch(1)
                .build();
    }

    private static BytesRef key(long conversationId, long seq) {
        return new BytesRef(ByteBuffer.allocate(16).putLong(conversationId).putLong(seq).array());
    }

    /** Closes without committing: what was not committed is replayed from the store's backlog. */
    @Override
    public void close() {
        try {
            searchers.close();
            writer.rollback(); // the indexer commits before; a rollback never writes half a state
        } catch (IOException e) {
            throw new UncheckedIOException("closing the search index failed: " + e.getMessage(), e);
        } finally {
            closeQuietly(directory);
        }
    }

    private static void closeQuietly(Directory d) {
        if (d != null) {
            try {
                d.close();
            } catch (IOException ignored) {
                // closing after a failure: the first error is the one reported
            }
        }
    }

    @FunctionalInterface
    private interface IoCall {
        void run() throws IOException;
    }

    private static void io(IoCall call) {
        try {
            call.run();
        } catch (IOException e) {
            throw new UncheckedIOException("search index I/O failed: " + e.getMessage(), e);
        }
    }
}
