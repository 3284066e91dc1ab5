package dev.tern.archfixture.gateway;

import dev.tern.archfixture.core.view.Sent;

/** Breaks rule 7: a handler reading a core value to build a frame itself, outside the wire package. */
public class SendReply {
  long seqOf(Sent sent) {
    return sent.seq();
  }

  java.util.function.ToLongFunction<Sent> seqReader() {
    return Sent::seq; // a method reference reads it too
  }
}
