package dev.tern.archfixture.gateway.wire;

import dev.tern.archfixture.core.view.Sent;
import dev.tern.archfixture.protocol.Frame;

/** Keeps rule 7: the one place where core values become wire values. */
public class Results {
  Frame ack(Sent sent) {
    return sent.seq() > 0 ? new Frame() : null;
  }
}
