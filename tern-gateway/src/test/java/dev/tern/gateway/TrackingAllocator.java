package dev.tern.gateway;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * An allocator that remembers every buffer it hands out, so a test can check that each one was
 * released once the channel is closed. Unlike the leak detector, which reports a leak only after a
 * garbage collection, this fails the very input that leaked, which makes a finding reproducible.
 */
final class TrackingAllocator extends AbstractByteBufAllocator {
    // Leak detection off underneath: this allocator's own buffers are still wrapped by the (paranoid)
    // detector through AbstractByteBufAllocator.
    private final UnpooledByteBufAllocator delegate = new UnpooledByteBufAllocator(false, true);
    private final Queue<ByteBuf> allocated = new ConcurrentLinkedQueue<>();

    TrackingAllocator() {
        super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return track(delegate.heapBuffer(initialCapacity, maxCapacity));
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return track(delegate.directBuffer(initialCapacity, maxCapacity));
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    private ByteBuf track(ByteBuf b) {
        allocated.add(b);
        return b;
    }

    /** Buffers handed out and not released yet. */
    List<ByteBuf> unreleased() {
        return allocated.stream().filter(b -> b.refCnt() > 0).toList();
    }
}
