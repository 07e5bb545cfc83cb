package kiln.widgets.tasks;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The relay batches frequent events, sends urgent ones at once, and never loses or reorders one. */
class EventRelayTest {

    /** A stand-in for the UI thread: tasks wait in a queue until the test runs them. */
    private final ConcurrentLinkedQueue<Runnable> uiQueue = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<List<String>> delivered = new CopyOnWriteArrayList<>();

    private EventRelay<String> relay(long intervalMillis) {
        return new EventRelay<>(e -> e.startsWith("epoch") || e.equals("end"), intervalMillis, delivered::add,
                uiQueue::add, timer, now::get);
    }

    private void runUi() {
        Runnable r;
        while ((r = uiQueue.poll()) != null) r.run();
    }

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void manyFrequentEventsBecomeOneDeliveryPerInterval() {
        EventRelay<String> relay = relay(250);
        relay.offer("batch 1"); // the first goes at once: nothing was sent for a whole interval
        for (int i = 2; i <= 500; i++) relay.offer("batch " + i);
        assertEquals(1, uiQueue.size(), "one UI task queued however many events arrive");
        runUi();
        assertEquals(1, delivered.size());
        assertEquals(500, delivered.get(0).size(), "the task takes everything that arrived before it ran");
    }

    @Test
    void aFrequentEventAfterADeliveryWaitsForTheIntervalOnTheTimer() throws Exception {
        EventRelay<String> relay = relay(200);
        relay.offer("batch 1");
        runUi();
        relay.offer("batch 2");
        assertTrue(uiQueue.isEmpty(), "inside the interval nothing is queued on the UI thread");
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(200));
        long deadline = System.currentTimeMillis() + 5_000;
        while (uiQueue.isEmpty() && System.currentTimeMillis() < deadline) Thread.sleep(5);
        runUi();
        assertEquals(List.of(List.of("batch 1"), List.of("batch 2")), delivered);
    }

    @Test
    void anUrgentEventIsSentAtOnceWithTheFrequentOnesBeforeIt() {
        EventRelay<String> relay = relay(10_000);
        relay.offer("batch 1");
        runUi();
        relay.offer("batch 2");
        relay.offer("batch 3");
        relay.offer("epoch 1");
        assertEquals(1, uiQueue.size(), "the epoch event does not wait for the interval");
        runUi();
        assertEquals(List.of("batch 2", "batch 3", "epoch 1"), delivered.get(1));
    }

    @Test
    void everyEventArrivesOnceAndInOrderFromABusyThread() throws Exception {
        EventRelay<String> relay = relay(1);
        int n = 20_000;
        Thread producer = new Thread(() -> {
            for (int i = 0; i < n; i++) relay.offer(i % 1000 == 999 ? "epoch " + i : "batch " + i);
            relay.offer("end");
        });
        producer.start();
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
            runUi();
            List<String> all = flat();
            if (!all.isEmpty() && all.get(all.size() - 1).equals("end")) break;
            Thread.sleep(1);
        }
        producer.join();
        List<String> expected = new ArrayList<>();
        IntStream.range(0, n).forEach(i -> expected.add(i % 1000 == 999 ? "epoch " + i : "batch " + i));
        expected.add("end");
        assertEquals(expected, flat());
        assertTrue(delivered.size() < n / 10, "events were batched: " + delivered.size() + " deliveries");
    }

    @Test
    void flushDrainsAtOnceAndCloseDropsTheRest() {
        EventRelay<String> relay = relay(10_000);
        relay.offer("batch 1");
        relay.offer("batch 2");
        relay.flush(); // the view drains before it shows the end of a run
        assertEquals(List.of(List.of("batch 1", "batch 2")), delivered);
        runUi(); // the task queued earlier finds nothing left
        assertEquals(1, delivered.size());
        relay.close();
        relay.offer("epoch 1");
        runUi();
        assertEquals(1, delivered.size(), "nothing is delivered to a closed view");
    }

    private List<String> flat() {
        List<String> all = new ArrayList<>();
        delivered.forEach(all::addAll);
        return all;
    }
}
