package org.downwatch.web;

import io.quarkus.qute.TemplateData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.downwatch.api.IncidentGroups;
import org.downwatch.catalog.Service;

/**
 * Many services at once (issue 26), as the pages show it: the home page's groups of incidents that started
 * within the same minutes, and on a service page the other services in trouble since the same minutes.
 * Built from {@link IncidentGroups} when a page version is rendered.
 */
@TemplateData
public record Together(Instant since, String provider, List<Member> others) {

    /** A service of a group; {@code collateral}: an ISP or mobile network reported as a side effect. */
    @TemplateData
    public record Member(Service service, Instant startedAt, boolean open, boolean collateral) {
    }

    /** A group on the home page: its main services, the collateral ones apart, the likely common cause. */
    @TemplateData
    public record Group(Instant since, Instant lastStarted, boolean ongoing, String provider, List<Member> services,
            List<Member> collateral) {

        public int count() {
            return services.size();
        }
    }

    /** The collateral ones among {@link #others}. */
    public List<Member> collateral() {
        return others.stream().filter(Member::collateral).toList();
    }

    public List<Member> main() {
        return others.stream().filter(m -> !m.collateral()).toList();
    }

    static List<Member> members(IncidentGroups.Group g, Function<String, Optional<Service>> services) {
        List<Member> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (IncidentGroups.MemberJson m : g.incidents()) {
            Optional<Service> s = services.apply(m.service());
            if (s.isPresent() && seen.add(m.service())) {
                out.add(new Member(s.get(), m.startedAt(), m.open(), m.collateral()));
            }
        }
        return out;
    }

    /** The home page's view of a group (null when fewer than two of its services are in the catalog). */
    static Group group(IncidentGroups.Group g, Function<String, Optional<Service>> services) {
        List<Member> all = members(g, services);
        List<Member> main = all.stream().filter(m -> !m.collateral()).toList();
        if (all.size() < 2) {
            return null;
        }
        return new Group(g.startedAt(), g.lastStartedAt(), g.openCount() > 0,
                g.likelyCause() == null ? null : g.likelyCause().provider(), main,
                all.stream().filter(Member::collateral).toList());
    }

    /**
     * The other services of the group holding the open incident {@code incidentId} that are in trouble now
     * (open incidents), or null when there are none.
     */
    static Together forService(List<IncidentGroups.Group> groups, long incidentId, String slug,
            Function<String, Optional<Service>> services) {
        for (IncidentGroups.Group g : groups) {
            if (g.incidents().stream().noneMatch(m -> m.id() == incidentId)) {
                continue;
            }
            List<Member> others = members(g, services).stream()
                    .filter(m -> m.open() && !m.service().slug.equals(slug)).toList();
            return others.isEmpty() ? null
                    : new Together(g.startedAt(), g.likelyCause() == null ? null : g.likelyCause().provider(), others);
        }
        return null;
    }
}
