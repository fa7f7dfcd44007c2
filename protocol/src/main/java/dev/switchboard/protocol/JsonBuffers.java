package dev.switchboard.protocol;

import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.util.RecyclerPool;

/**
 * Where Jackson's working buffers come from: a recycler per platform thread (the event loops, which parse and
 * write most frames: no atomic operation per use) and one shared pool for virtual threads (each is new, so a
 * recycler per thread would allocate and zero fresh 8–16 KiB buffers per serialization). Measured: the shared
 * pool alone cost a CAS-heavy deque poll and offer per parse and per serialization on the event loops, a few
 * per cent of a hook call's CPU; the recycler per thread alone cost half the CPU of a virtual thread's
 * serialization.
 */
final class JsonBuffers implements RecyclerPool<BufferRecycler> {

    private static final long serialVersionUID = 1L;

    private final RecyclerPool<BufferRecycler> perThread = JsonRecyclerPools.threadLocalPool();
    private final RecyclerPool<BufferRecycler> shared = JsonRecyclerPools.newConcurrentDequePool();

    private RecyclerPool<BufferRecycler> pool() {
        return Thread.currentThread().isVirtual() ? shared : perThread;
    }

    /** A shared recycler is linked to the shared pool, so it goes back there however it is released. */
    @Override
    public BufferRecycler acquireAndLinkPooled() {
        return pool().acquireAndLinkPooled();
    }

    @Override
    public BufferRecycler acquirePooled() {
        return pool().acquirePooled();
    }

    @Override
    public void releasePooled(BufferRecycler recycler) {
        pool().releasePooled(recycler);
    }
}
