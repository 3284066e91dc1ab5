/**
 * Transport-free helpers around the generated wire classes: the error-code table and the frame
 * codec (JSON text and binary protobuf). Nothing here knows about sockets or Netty.
 *
 * <p>Invariant: decoding never throws; every bad input becomes a {@link
 * dev.tern.protocol.FrameCodec.Rejected} value with a stable error code and, when it can be read,
 * the request id to echo.
 */
package dev.tern.protocol;
