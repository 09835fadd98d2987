package io.mpreg.federation.internal;

import io.mpreg.federation.EventLoop;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * What waits for this cluster's signature, signed in batches off the event loop: the first item posts a signing job
 * behind the loop's queued tasks (so what they produce joins it), the job takes up to {@code most} items to the
 * signer, and whatever comes while the signer works waits for the next job. No timer: a lone item is signed at once.
 * Each signed item comes back to the loop in the order it was added; {@code null} for each item of a batch whose
 * signing failed. Loop-thread only, but for {@code sign}, which runs on the signer.
 *
 * @param <T> what is signed
 * @param <S> what signing gives for one item
 */
public final class BatchSigner<T, S> {
    private final EventLoop loop;
    private final Executor signer;
    private final int most;
    private final Function<List<T>, List<S>> sign;
    private final BiConsumer<T, S> signed;
    private final BiConsumer<Integer, RuntimeException> failed;
    private final List<T> waiting = new ArrayList<>();
    private boolean busy;

    /**
     * {@code sign} signs a batch (on {@code signer}), one result per item in order; {@code signed} takes each item
     * and its result on the loop; {@code failed} hears of a batch whose signing threw (on the signer), before its
     * items come back with null.
     */
    public BatchSigner(EventLoop loop, Executor signer, int most, Function<List<T>, List<S>> sign,
                       BiConsumer<T, S> signed, BiConsumer<Integer, RuntimeException> failed) {
        if (most < 1) {
            throw new IllegalArgumentException("a batch holds at least one item, got " + most);
        }
        this.loop = loop;
        this.signer = signer;
        this.most = most;
        this.sign = sign;
        this.signed = signed;
        this.failed = failed;
    }

    /** Queues {@code item} for the next signing job. */
    public void add(T item) {
        waiting.add(item);
        if (!busy) {
            busy = true;
            loop.execute(this::signWaiting); // behind the tasks queued now: what they produce joins this batch
        }
    }

    private void signWaiting() {
        int n = Math.min(most, waiting.size());
        List<T> batch = new ArrayList<>(waiting.subList(0, n));
        waiting.subList(0, n).clear();
        signer.execute(() -> {
            List<S> result;
            try {
                result = sign.apply(batch);
            } catch (RuntimeException e) {
                failed.accept(n, e);
                result = null;
            }
            List<S> done = result;
            loop.execute(() -> signedBatch(batch, done));
        });
    }

    private void signedBatch(List<T> batch, List<S> result) {
        for (int i = 0; i < batch.size(); i++) {
            signed.accept(batch.get(i), result == null ? null : result.get(i));
        }
        if (waiting.isEmpty()) {
            busy = false;
        } else {
            loop.execute(this::signWaiting);
        }
    }
}
