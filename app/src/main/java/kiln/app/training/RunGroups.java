package kiln.app.training;

import kiln.engine.eval.GroupTraining;
import kiln.engine.eval.SeedSummary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The repeats and cross-validations among a project's runs, worked out from the runs' records alone (so a group's
 * result is there again after the project is reopened): each run's metric and the spread of the finished ones.
 */
final class RunGroups {

    private RunGroups() { }

    /**
     * One run of a group: its place (1-based, in the order the runs were made) and its metric (see
     * {@link GroupTraining.Kind}), NaN for a run that did not train to its end.
     */
    record Member(RunRow row, int number, double metric) {
        boolean finished() {
            return Double.isFinite(metric);
        }
    }

    /** A group: its runs, and the spread of the finished ones' metric (null with fewer than 2). */
    record Group(String name, GroupTraining.Kind kind, List<Member> members, SeedSummary summary) {
        long finishedCount() {
            return members.stream().filter(Member::finished).count();
        }

        boolean contains(RunRow r) {
            return r != null && members.stream().anyMatch(m -> m.row().id().equals(r.id()));
        }
    }

    /** Every group among {@code rows} (oldest run first), in the order of its first run. */
    static List<Group> of(List<RunRow> rows) {
        Map<String, List<RunRow>> byName = new LinkedHashMap<>();
        for (RunRow r : rows) {
            if (r == null || r.record() == null || GroupTraining.Kind.of(r.record().group()) == null) continue;
            byName.computeIfAbsent(r.record().group(), g -> new ArrayList<>()).add(r);
        }
        List<Group> groups = new ArrayList<>();
        for (var e : byName.entrySet()) {
            GroupTraining.Kind kind = GroupTraining.Kind.of(e.getKey());
            List<Member> members = new ArrayList<>();
            for (RunRow r : e.getValue()) members.add(new Member(r, members.size() + 1, metric(kind, r)));
            List<Double> values = members.stream().filter(Member::finished).map(Member::metric).toList();
            groups.add(new Group(e.getKey(), kind, List.copyOf(members), values.size() < 2 ? null : SeedSummary.of(values)));
        }
        return groups;
    }

    /** The group {@code r} belongs to. */
    static Optional<Group> of(List<Group> groups, RunRow r) {
        return groups.stream().filter(g -> g.contains(r)).findFirst();
    }

    /** As the command line sums a group up: a seed's test accuracy, a fold's last validation accuracy. */
    private static double metric(GroupTraining.Kind kind, RunRow r) {
        String status = r.record().status();
        if (!status.equals("completed") && !status.equals("early_stopped")) return Double.NaN;
        if (kind == GroupTraining.Kind.REPEAT) return r.record().testAccuracy();
        return r.metrics().isEmpty() ? Double.NaN : r.metrics().get(r.metrics().size() - 1).validationAccuracy();
    }
}
