package kiln.widgets.tasks;

import javafx.application.Platform;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Carries events from a worker thread to the UI thread in batches, so that a loop reporting hundreds of
 * times per second causes only a few UI updates. Every event is delivered exactly once and in order;
 * frequent events wait up to {@code minInterval}, while an urgent event (an epoch ended, the run ended)
 * sends everything pending at once.
 */
public final class EventRelay<E> {

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kiln-event-relay");
        t.setDaemon(true);
        return t;
    });

    private final Predicate<? super E> urgent;
    private final long minIntervalNanos;
    private final Consumer<List<E>> sink;
    private final Executor ui;
    private final ScheduledExecutorService timer;
    private final LongSupplier clock;
    private final Object lock = new Object();
    private List<E> pending = new ArrayList<>();
    private boolean uiQueued;
    private boolean timerQueued;
    private boolean closed;
    private long lastFlush;

    /** Delivers on the JavaFX thread. */
    public EventRelay(Predicate<? super E> urgent, long minIntervalMillis, Consumer<List<E>> sink) {
        this(urgent, minIntervalMillis, sink, Platform::runLater, TIMER, System::nanoTime);
    }

    /** @param ui runs a task on the thread that may call {@code sink}; for tests, any executor */
    public EventRelay(Predicate<? super E> urgent, long minIntervalMillis, Consumer<List<E>> sink, Executor ui,
                      ScheduledExecutorService timer, LongSupplier clockNanos) {
        this.urgent = urgent;
        this.minIntervalNanos = TimeUnit.MILLISECONDS.toNanos(minIntervalMillis);
        this.sink = sink;
        this.ui = ui;
        this.timer = timer;
        this.clock = clockNanos;
        this.lastFlush = clockNanos.getAsLong() - minIntervalNanos;
    }

    /** Called from any thread; never blocks on the UI. */
    public void offer(E event) {
        long delay = -1;
        boolean now = false;
        synchronized (lock) {
            if (closed) return;
            pending.add(event);
            if (uiQueued) return; // the queued flush will take this event too
            long wait = lastFlush + minIntervalNanos - clock.getAsLong();
            if (urgent.test(event) || wait <= 0) {
                uiQueued = true;
                now = true;
            } else if (!timerQueued) {
                timerQueued = true;
                delay = wait;
            }
        }
        if (now) {
            ui.execute(this::flush);
        } else if (delay >= 0) {
            timer.schedule(this::timerFired, delay, TimeUnit.NANOSECONDS);
        }
    }

    private void timerFired() {
        synchronized (lock) {
            timerQueued = false;
            if (uiQueued || closed || pending.isEmpty()) return;
            uiQueued = true;
        }
        ui.execute(this::flush);
    }

    /** Delivers everything pending now; on the UI thread (also used to drain before a run's end is shown). */
    public void flush() {
        List<E> batch;
        synchronized (lock) {
            uiQueued = false;
            if (closed || pending.isEmpty()) return;
            batch = pending;
            pending = new ArrayList<>();
            lastFlush = clock.getAsLong();
        }
        sink.accept(batch);
    }

    /** Drops pending events and ignores later ones (the view is gone). */
    public void close() {
        synchronized (lock) {
            closed = true;
            pending.clear();
        }
    }
}
