package io.jenkins.plugins.clearml.dispatch;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Decides, from the queues' backlog, which queues get their next task popped this tick, in priority or fair order,
 * and reserves room for each ({@link Capacity#reserve}) before anything is popped. It also keeps the per-template
 * count of tasks in hand (for concurrency limits) and the queues resting after a failed start.
 */
final class TickPlanner {

    /** A reservation made for the next task of a queue, to be popped. */
    record Planned(Served served, Placement placement) {}

    private final Capacity capacity;
    private final QueueOrder order;
    private final Clock clock;
    /** Every (template, queue) pair in priority order. */
    private final List<Served> served;
    private final List<String> queueIds;
    private final Map<String, AtomicInteger> perTemplate = new ConcurrentHashMap<>();
    private final Map<String, Instant> restingUntil = new ConcurrentHashMap<>();
    private int fairStart;

    TickPlanner(List<DispatchTemplate> templates, Capacity capacity, QueueOrder order, Clock clock) {
        this.capacity = capacity;
        this.order = order;
        this.clock = clock;
        List<Served> pairs = new ArrayList<>();
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        for (DispatchTemplate template : templates) {
            for (QueueRef queue : template.queues()) {
                if (!ids.add(queue.id())) {
                    throw new IllegalArgumentException("Queue '" + queue.name()
                            + "' is served by two templates; give each ClearML queue to one template only.");
                }
                pairs.add(new Served(template, queue));
            }
            perTemplate.put(template.name(), new AtomicInteger());
        }
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("No queue to serve: configure at least one template with a queue.");
        }
        this.served = List.copyOf(pairs);
        this.queueIds = List.copyOf(ids);
    }

    List<Served> served() {
        return served;
    }

    /** The served queues' ids, in priority order: what one {@code queues.get_all} reads each tick. */
    List<String> queueIds() {
        return queueIds;
    }

    /**
     * The reservations for this tick, in the order the tasks are to be popped; {@code accepting} is asked as it
     * goes, so a stop in the middle of planning ends it.
     */
    List<Planned> plan(Map<String, Integer> backlog, BooleanSupplier accepting) {
        return order == QueueOrder.PRIORITY ? byPriority(backlog, accepting) : fairly(backlog, accepting);
    }

    /** A task of {@code template} is now in hand (popped). */
    void taken(DispatchTemplate template) {
        perTemplate.get(template.name()).incrementAndGet();
    }

    /** A task of {@code template} is no longer in hand. */
    void released(DispatchTemplate template) {
        perTemplate.get(template.name()).decrementAndGet();
    }

    /** The queue's head task could not start: leave the queue alone until {@code until}. */
    void rest(String queueId, Instant until) {
        restingUntil.put(queueId, until);
    }

    /**
     * Within a template the first queue first: once a queue with work finds no room, the template's later queues
     * wait for the next tick. Templates needing other nodes or GPU counts go on (backfill), so one full node group
     * does not idle another.
     */
    private List<Planned> byPriority(Map<String, Integer> backlog, BooleanSupplier accepting) {
        List<Planned> plan = new ArrayList<>();
        Set<String> blocked = new HashSet<>();
        Map<String, Integer> planned = new HashMap<>();
        for (Served s : served) {
            int waiting = backlog.getOrDefault(s.queue().id(), 0);
            for (int i = 0; i < waiting && accepting.getAsBoolean() && !blocked.contains(s.template().name())
                    && !resting(s); i++) {
                Optional<Placement> room = reserve(s.template(), planned);
                if (room.isEmpty()) {
                    blocked.add(s.template().name());
                } else {
                    plan.add(new Planned(s, room.get()));
                }
            }
        }
        return plan;
    }

    /** Round robin: one task per queue with work in turn, starting after the queue served last. */
    private List<Planned> fairly(Map<String, Integer> backlog, BooleanSupplier accepting) {
        List<Planned> plan = new ArrayList<>();
        Set<String> blocked = new HashSet<>();
        Map<String, Integer> planned = new HashMap<>();
        Map<String, Integer> left = new HashMap<>(backlog);
        int n = served.size();
        boolean progress = true;
        while (progress && accepting.getAsBoolean()) {
            progress = false;
            int start = fairStart;
            for (int i = 0; i < n; i++) {
                Served s = served.get((start + i) % n);
                if (left.getOrDefault(s.queue().id(), 0) <= 0 || blocked.contains(s.template().name()) || resting(s)) {
                    continue;
                }
                Optional<Placement> room = reserve(s.template(), planned);
                if (room.isEmpty()) {
                    blocked.add(s.template().name());
                    continue;
                }
                plan.add(new Planned(s, room.get()));
                left.merge(s.queue().id(), -1, Integer::sum);
                fairStart = (start + i + 1) % n;
                progress = true;
            }
        }
        return plan;
    }

    private boolean resting(Served s) {
        Instant rest = restingUntil.get(s.queue().id());
        if (rest == null) {
            return false;
        }
        if (clock.instant().isBefore(rest)) {
            return true;
        }
        restingUntil.remove(s.queue().id(), rest);
        return false;
    }

    private Optional<Placement> reserve(DispatchTemplate template, Map<String, Integer> planned) {
        int inHand = perTemplate.get(template.name()).get() + planned.getOrDefault(template.name(), 0);
        if (template.maxConcurrent() > 0 && inHand >= template.maxConcurrent()) {
            return Optional.empty();
        }
        Optional<Placement> room = capacity.reserve(template);
        room.ifPresent(p -> planned.merge(template.name(), 1, Integer::sum));
        return room;
    }
}
