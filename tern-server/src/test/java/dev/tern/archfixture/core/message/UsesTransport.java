package dev.tern.archfixture.core.message;

/** Breaks rule 4: the core importing a transport, the wire protocol and the gateway. */
public class UsesTransport {
  io.netty.buffer.ByteBuf buffer;
  dev.tern.archfixture.gateway.Edge edge;
  dev.tern.archfixture.protocol.Frame frame;
}
