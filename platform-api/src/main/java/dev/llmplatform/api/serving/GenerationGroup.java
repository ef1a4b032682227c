package dev.llmplatform.api.serving;

import dev.llmplatform.engine.runtime.GenerationEvent;
import dev.llmplatform.engine.runtime.GenerationRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The generations of one HTTP request ({@code n} choices, or several prompts), their events merged
 * into one queue that the request's own thread drains: the scheduler thread only enqueues, so a slow
 * client never slows the batch down.
 */
public final class GenerationGroup {
    /** An event of choice {@code choice}: a token, the finish, or the failure that ended it. */
    public sealed interface Item {
        int choice();
    }

    public record Event(int choice, GenerationEvent event) implements Item {
    }

    public record Failure(int choice, Throwable error) implements Item {
    }

    private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final List<Generation> generations = new ArrayList<>();
    private int ended;

    private GenerationGroup() {
    }

    /**
     * Starts one generation per request, choice {@code i} being {@code requests.get(i)}; waits up to
     * {@code queueTimeoutMillis} for each free sequence.
     *
     * @throws SequencePool.BusyException when the model stayed busy (nothing keeps running then)
     */
    public static GenerationGroup start(ServedModel model, List<GenerationRequest> requests, long queueTimeoutMillis)
            throws InterruptedException {
        GenerationGroup group = new GenerationGroup();
        try {
            for (int i = 0; i < requests.size(); i++) {
                int choice = i;
                Generation g = Generation.start(model, requests.get(i), queueTimeoutMillis,
                        e -> group.queue.add(new Event(choice, e)));
                g.result().whenComplete((r, e) -> {
                    if (e != null) {
                        group.queue.add(new Failure(choice, e));
                    }
                });
                group.generations.add(g);
            }
        } catch (InterruptedException | RuntimeException e) {
            group.cancel();
            throw e;
        }
        return group;
    }

    /** The next item, or null if none arrived within {@code millis}. */
    public Item poll(long millis) throws InterruptedException {
        Item item = queue.poll(Math.max(0, millis), TimeUnit.MILLISECONDS);
        if (item instanceof Failure || item instanceof Event e && e.event() instanceof GenerationEvent.Finished) {
            ended++;
        }
        return item;
    }

    /** Whether every choice has finished or failed (as seen through {@link #poll}). */
    public boolean done() {
        return ended >= generations.size();
    }

    public int size() {
        return generations.size();
    }

    /** Stops one choice at its next step (e.g. the output rail ended it). */
    public void cancelChoice(int choice) {
        generations.get(choice).cancel();
    }

    /** Stops every choice at its next step; their sequences go back to the pool. */
    public void cancel() {
        generations.forEach(Generation::cancel);
    }
}
