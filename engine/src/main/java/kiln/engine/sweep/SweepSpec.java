package kiln.engine.sweep;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * What a sweep varies and how it picks its trials: every combination (grid), or a budget of random trials.
 * @param params  the parameters varied, in the order given
 * @param random  the number of random trials, or 0 for the grid
 * @param seed    picks the random trials
 */
public record SweepSpec(List<SweepParam> params, int random, long seed) {

    /** Larger grids (and random budgets) are refused: they would run for days; random search covers big spaces better. */
    public static final int MAX_GRID = 1000;

    public SweepSpec {
        params = List.copyOf(params);
    }

    /** A checked spec: at least one parameter, none twice, and a grid only over lists and counted ranges. */
    public static SweepSpec of(List<SweepParam> params, int random, long seed) throws SweepSpecException {
        if (params.isEmpty()) {
            throw new SweepSpecException("a sweep needs at least one parameter to vary, e.g. training.learningRate=0.0003,0.001,0.003.");
        }
        if (random < 0 || random > MAX_GRID) {
            throw new SweepSpecException("the random trial count is " + random + "; use 1 to " + MAX_GRID + " (or none for a grid).");
        }
        Set<String> seen = new HashSet<>();
        for (SweepParam p : params) {
            if (!seen.add(p.target())) {
                throw new SweepSpecException(p.target() + " is given twice; give each parameter once with all its values.");
            }
            if (random == 0 && !p.discrete()) {
                throw new SweepSpecException(p.target() + ": a range without a count can only be sampled; add a count "
                        + "(e.g. " + SweepParam.format(p.from()) + ":" + SweepParam.format(p.to()) + (p.log() ? ":log" : "")
                        + ":5) for a grid, or ask for random trials.");
            }
        }
        SweepSpec spec = new SweepSpec(params, random, seed);
        if (random == 0 && spec.gridSize() > MAX_GRID) {
            throw new SweepSpecException("the grid has " + spec.gridSize() + " trials, more than " + MAX_GRID
                    + "; give fewer values, or ask for a number of random trials.");
        }
        return spec;
    }

    public boolean isGrid() {
        return random == 0;
    }

    long gridSize() {
        long n = 1;
        for (SweepParam p : params) n = p.discrete() ? Math.min(n * p.values().size(), Long.MAX_VALUE / 1000) : Long.MAX_VALUE / 1000;
        return n;
    }

    /**
     * Every trial's values by target, in order. A grid varies the last parameter fastest. Random trials over lists
     * only are distinct combinations (at most the grid's size); with a sampled range each trial draws afresh.
     */
    public List<Map<String, Object>> trials() {
        if (isGrid()) return grid();
        Random r = new Random(seed);
        if (params.stream().allMatch(SweepParam::discrete)) {
            List<Map<String, Object>> all = grid();
            Collections.shuffle(all, r);
            return new ArrayList<>(all.subList(0, Math.min(random, all.size())));
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < random; i++) {
            Map<String, Object> t = new LinkedHashMap<>();
            for (SweepParam p : params) t.put(p.target(), p.sample(r));
            out.add(t);
        }
        return out;
    }

    private List<Map<String, Object>> grid() {
        List<Map<String, Object>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (SweepParam p : params) {
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> partial : out) {
                for (Object v : p.values()) {
                    Map<String, Object> t = new LinkedHashMap<>(partial);
                    t.put(p.target(), v);
                    next.add(t);
                }
            }
            out = next;
        }
        return out;
    }

    /** "training.learningRate=0.001 dense1.units=64" */
    public static String describe(Map<String, Object> values) {
        List<String> parts = new ArrayList<>();
        values.forEach((k, v) -> parts.add(k + "=" + SweepParam.format(v)));
        return String.join(" ", parts);
    }
}
