package org.acme.example.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.Channel;

/**
 * The connection slots of one port, and who gives way when they are all taken. A port holds at most {@code max}
 * connections. When a new one arrives at a full port, it takes the slot of an <em>idle</em> connection (no request in
 * flight, nothing left to write: kept alive between requests, or accepted and silent so far) from the source address
 * that holds the most connections, the one idle longest; the idle connection is closed. A newcomer only takes a slot
 * from its own address or from one that, having given it, still holds at least as many connections as the newcomer's,
 * and is refused at accept when there is none to take.
 * <p>
 * So a client that fills a port with connections it leaves idle, or resets, or never uses, only ever replaces its own:
 * a Kubernetes probe or a Prometheus scrape, from another address and with a connection or two, always gets a slot
 * (the address with the most connections gives way first). Connections with a request in flight keep their slot.
 * <p>
 * Called on the acceptor thread ({@link #admit}) and on the connections' event loops ({@link #release}, and each
 * {@link Slot}'s state): the few operations that touch the slots together are synchronized, each bounded by
 * {@code max}.
 */
final class ConnectionSlots {

    /** How {@link #admit} went: the newcomer's address and slot (null when refused), and the slot it took, if any. */
    record Admission(InetAddress address, Slot slot, Slot evicted) {
    }

    /** One connection's place. Its state changes on the connection's event loop, except for {@link #evict()}. */
    final class Slot {
        private static final int IDLE = 0;
        private static final int BUSY = 1;
        private static final int EVICTED = 2;

        private final Channel channel;
        private final InetAddress address;
        private final AtomicInteger state = new AtomicInteger(IDLE);
        private volatile long idleSince;
        /** Taken by a newcomer at accept (guarded by the slots' lock), as opposed to closed by its idle timeout. */
        private boolean givenAway;

        Slot(Channel channel, InetAddress address, long nowNanos) {
            this.channel = channel;
            this.address = address;
            this.idleSince = nowNanos;
        }

        /**
         * A request arrived: the slot is in use until its answer is written. False when the slot was given to another
         * connection meanwhile: the caller closes the connection without handing the request on, as when a kept-alive
         * connection is closed by its idle timeout just as a request arrives.
         */
        boolean busy() {
            return state.compareAndSet(IDLE, BUSY) || state.get() == BUSY;
        }

        /** Every answer is written and no request waits: the slot may be given away. */
        void idle(long nowNanos) {
            idleSince = nowNanos;
            state.compareAndSet(BUSY, IDLE);
        }

        /** Takes the slot from the connection if it is idle; it must then be closed. */
        boolean evict() {
            return state.compareAndSet(IDLE, EVICTED);
        }

        /**
         * The connection is closed, and every handler of its pipeline has seen it close: its slot is free. Not at the
         * close itself, which Vert.x learns of a moment later, so that the port never holds more connections than
         * Vert.x counts either.
         */
        void gone() {
            release(this);
        }

        boolean isIdle() {
            return state.get() == IDLE;
        }

        Channel channel() {
            return channel;
        }

        InetAddress address() {
            return address;
        }
    }

    /**
     * Connections given away whose close has not reached their event loop yet, at most. Beyond, newcomers are refused:
     * a flood of new connections faster than the event loop can close the idle ones would otherwise hold ever more
     * sockets. Each holds little (idle: nothing to read or write), and a busy event loop closes hundreds in a few ms.
     */
    static final int MAX_CLOSING = 1024;

    private final int max;
    /**
     * The port's open connections, those of a guard that a dev-mode restart replaced included (they are not in
     * {@link #slots}, and count themselves down as they close).
     */
    private final AtomicInteger open;
    /** In the order of acceptance; evicted slots stay until their connection is closed. */
    private final Set<Slot> slots = new LinkedHashSet<>();
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();
    /** Slots evicted whose connection is not closed yet. */
    private int evicting;

    ConnectionSlots(int max, AtomicInteger open) {
        this.max = max;
        this.open = open;
    }

    /** A slot for a new connection: a free one, or one taken from an idle connection, or none (refused). */
    synchronized Admission admit(Channel connection, long nowNanos) {
        InetAddress address = addressOf(connection.remoteAddress());
        Slot evicted = null;
        if (open.get() - evicting >= max) {
            // Connections given away are closed on their own event loops; bound how many may still be closing.
            evicted = evicting < MAX_CLOSING ? takeIdleSlot(address) : null;
            if (evicted == null) {
                return new Admission(address, null, null);
            }
            evicted.givenAway = true;
            evicting++;
        }
        Slot slot = new Slot(connection, address, nowNanos);
        slots.add(slot);
        open.incrementAndGet();
        perAddress.merge(address, 1, Integer::sum);
        return new Admission(address, slot, evicted);
    }

    /** The connection of this slot is gone. */
    private synchronized void release(Slot slot) {
        if (!slots.remove(slot)) {
            return;
        }
        open.decrementAndGet();
        if (slot.givenAway) {
            evicting--;
        }
        perAddress.computeIfPresent(slot.address, (address, count) -> count == 1 ? null : count - 1);
    }

    private Slot takeIdleSlot(InetAddress newcomer) {
        int newcomerHolds = perAddress.getOrDefault(newcomer, 0);
        // A slot turns busy without this lock: a candidate may no longer be idle when it is taken; look again.
        for (int attempt = 0; attempt < 3; attempt++) {
            Slot candidate = null;
            int candidateHolds = 0;
            for (Slot slot : slots) {
                if (!slot.isIdle()) {
                    continue;
                }
                int holds = perAddress.getOrDefault(slot.address, 0);
                // Afterwards, the address that gave way still holds at least as many as the newcomer's.
                boolean fair = holds - 1 >= newcomerHolds + 1 || slot.address.equals(newcomer);
                if (fair && (candidate == null || holds > candidateHolds
                        || (holds == candidateHolds && slot.idleSince - candidate.idleSince < 0))) {
                    candidate = slot;
                    candidateHolds = holds;
                }
            }
            if (candidate == null) {
                return null;
            }
            if (candidate.evict()) {
                return candidate;
            }
        }
        return null;
    }

    private static InetAddress addressOf(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress()
                : InetAddress.getLoopbackAddress(); // a Unix domain socket: one local peer
    }
}
