/**
 * The one place where the core's values and wire values meet: requests become the core's arguments
 * ({@link dev.tern.gateway.wire.Inputs}), results and pushes become frames
 * ({@link dev.tern.gateway.wire.Results}, {@link dev.tern.gateway.wire.Pushes},
 * {@link dev.tern.gateway.wire.Messages}), domain codes become wire codes
 * ({@link dev.tern.gateway.wire.Codes}), and every refusal becomes one value
 * ({@link dev.tern.gateway.wire.Refused}).
 *
 * <p>Invariants: the core imports nothing of the protocol (an architecture rule fails the build
 * otherwise); mappings are total (exhaustive switches over the core's enums and sealed types, so a
 * value the core adds does not compile until it is mapped here); mapping never validates or refuses
 * (the core does) and never blocks.
 */
package dev.tern.gateway.wire;
