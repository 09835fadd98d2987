package io.mpreg.transport.jgroups.internal;

import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The bounded send queue of one peer in the current view and the thread that feeds it to the channel. JGroups'
 * unicast flow control (UFC) blocks {@code send} when the peer stops consuming; that blocks this thread, the queue
 * fills and {@link JGroupsTransport#send} answers QUEUE_FULL: back-pressure the caller can see.
 */
final class PeerSender {
    private static final System.Logger LOG = System.getLogger(PeerSender.class.getName());

    private final JChannel channel;
    private final Address address;
    private final ArrayBlockingQueue<byte[]> queue;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile boolean draining;

    PeerSender(JChannel channel, Address address, int capacity, String threadName) {
        this.channel = channel;
        this.address = address;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    Address address() {
        return address;
    }

    void start() {
        thread.start();
    }

    boolean offer(byte[] frame) {
        return !stopping && !draining && queue.offer(frame);
    }

    boolean backlogged() {
        return queue.remainingCapacity() == 0;
    }

    /** Stops at once; queued frames are dropped (the peer left the view, which was reported as DOWN). */
    void stop() {
        stopping = true;
        queue.clear();
        thread.interrupt();
    }

    /** Lets the queue drain, then stops; {@link #await} waits for it. */
    void drainAndStop() {
        draining = true;
        thread.interrupt();
    }

    boolean await(long deadlineNanos) throws InterruptedException {
        long left = deadlineNanos - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.timedJoin(thread, left);
        }
        return !thread.isAlive();
    }

    private void run() {
        while (!stopping) {
            byte[] frame;
            try {
                frame = draining ? queue.poll() : queue.take();
            } catch (InterruptedException e) {
                continue; // stopping or draining: re-check
            }
            if (frame == null) {
                return; // drained
            }
            try {
                channel.send(new BytesMessage(address, frame));
            } catch (Exception e) {
                if (!stopping) {
                    LOG.log(System.Logger.Level.DEBUG, "send to {0} failed: {1}", address, e.toString());
                }
            }
        }
    }
}
