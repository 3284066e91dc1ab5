package dev.tern.gateway;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz target for the HTTP side of the gateway's port: arbitrary bytes from a client, fed to the
 * real pipeline on an embedded channel. The committed inputs under {@code HttpFuzzTestInputs/} are
 * raw request streams (valid requests, pipelined ones, upgrades, broken ones).
 *
 * <p>Properties: no handler throws (a protocol error may only close the connection); what the server
 * writes parses as HTTP/1.1 responses, one per request and in order, each framed so a client finds
 * its end; every request that reached the handlers whole was answered unless the connection closed
 * first; a request the decoder could not parse gets an answer and the connection is closed (the
 * decoder discards the rest of the stream, so keeping it open would leave the client waiting); no
 * buffer leaks.
 */
class HttpFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void httpRequests(byte[] input) throws Exception {
        EmbeddedGateway gw = new EmbeddedGateway();
        gw.receive(input);
        boolean openAfterInput = gw.channel.isOpen();
        ServerOutput out = gw.close();

        assertThat(gw.unexpected).as("exceptions raised by handlers").isEmpty();
        assertThat(out.problems).as("what a client could not parse").isEmpty();
        long finals = out.responses.stream().filter(r -> r.status() >= 200 || r.status() == 101).count();
        assertThat(finals).as("final responses vs requests that reached the handlers whole")
                .isGreaterThanOrEqualTo(gw.requestsWhole);
        assertThat(finals).as("final responses vs requests started").isLessThanOrEqualTo(gw.requestsStarted);
        for (int i = 0; i < out.responses.size(); i++) {
            ServerOutput.Response r = out.responses.get(i);
            boolean last = i == out.responses.size() - 1;
            String length = r.headers().get(HttpHeaderNames.CONTENT_LENGTH);
            boolean bodyless = r.status() < 200 || r.status() == 204 || r.status() == 304;
            if (!bodyless && length == null && !r.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)) {
                // Only the end of the connection can end a body of unknown length.
                assertThat(last && !openAfterInput).as("response %d (%d) has no length but the connection stayed open",
                        i, r.status()).isTrue();
            }
            if (r.headers().contains(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true)) {
                assertThat(last && !openAfterInput).as("response %d said close", i).isTrue();
            }
        }
        if (gw.requestsMalformed > 0) {
            assertThat(openAfterInput).as("connection open after a request that could not be parsed").isFalse();
        }
        if (!gw.expected.isEmpty()) {
            assertThat(openAfterInput).as("connection open after %s", gw.expected.get(0)).isFalse();
        }
        assertThat(gw.alloc.unreleased()).as("buffers not released").isEmpty();
        assertThat(LeakReports.reports()).as("leaks reported by Netty's detector (maybe from an earlier input)").isEmpty();
    }
}
