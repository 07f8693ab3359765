package org.downwatch.api;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Groups incidents of several services that started within a few minutes of each other: many services at
 * once usually share a cause. Plain Java, tested with plain JUnit.
 *
 * <p>A group starts with the earliest incident not yet grouped and takes every incident that started within
 * {@code window} of it (so a busy day is not chained into one group). Only groups of at least two services
 * are kept. A provider is named as the likely common cause when at least half of its services (and at least
 * two) are in the group. An ISP or mobile operator's incident (category {@code telecom}) is marked
 * collateral when most of the group's services are not telecom operators: people who cannot reach a big
 * service often blame their connection too.
 */
public final class IncidentGroups {

    static final String TELECOM = "telecom";

    private IncidentGroups() {
    }

    /** An incident as grouping sees it. */
    public record Member(long id, String service, String serviceName, String category, String provider, Instant startedAt,
            Instant endedAt, int reportCount) {
    }

    @Schema(name = "IncidentGroupMember", description = "An incident in a group")
    public record MemberJson(long id, String service, String serviceName, String category,
            @Schema(nullable = true) String provider, Instant startedAt,
            @Schema(nullable = true) Instant endedAt, boolean open, int reportCount,
            @Schema(description = "An ISP or mobile operator reported as a side effect of the others") boolean collateral) {
    }

    @Schema(name = "LikelyCause", description = "A provider most of whose services are in the group")
    public record Cause(String provider, @Schema(description = "Its services in the group") int affected,
            @Schema(description = "Its services in the catalog") int services) {
    }

    @Schema(name = "IncidentGroup", description = "Incidents of several services that started within the same minutes")
    public record Group(@Schema(description = "The first incident's start") Instant startedAt,
            @Schema(description = "The last incident's start") Instant lastStartedAt,
            int serviceCount, int openCount,
            @Schema(nullable = true) Cause likelyCause,
            List<MemberJson> incidents) {
    }

    /**
     * @param incidents in any order
     * @param providerSizes services in the catalog per provider
     */
    public static List<Group> group(List<Member> incidents, Duration window, Map<String, Integer> providerSizes) {
        List<Member> sorted = incidents.stream().sorted(Comparator.comparing(Member::startedAt).thenComparing(Member::id)).toList();
        List<Group> out = new ArrayList<>();
        int i = 0;
        while (i < sorted.size()) {
            Instant limit = sorted.get(i).startedAt().plus(window);
            int j = i;
            while (j < sorted.size() && !sorted.get(j).startedAt().isAfter(limit)) {
                j++;
            }
            List<Member> members = sorted.subList(i, j);
            Set<String> services = new LinkedHashSet<>();
            members.forEach(m -> services.add(m.service()));
            if (services.size() >= 2) {
                out.add(build(members, services.size(), providerSizes));
            }
            i = j;
        }
        return out;
    }

    private static Group build(List<Member> members, int serviceCount, Map<String, Integer> providerSizes) {
        Map<String, Set<String>> byProvider = new HashMap<>();
        long telecom = members.stream().map(m -> m.service() + "|" + m.category()).distinct()
                .filter(s -> s.endsWith("|" + TELECOM)).count();
        for (Member m : members) {
            if (m.provider() != null) {
                byProvider.computeIfAbsent(m.provider(), p -> new LinkedHashSet<>()).add(m.service());
            }
        }
        Cause cause = null;
        for (Map.Entry<String, Set<String>> e : byProvider.entrySet()) {
            int affected = e.getValue().size();
            int size = Math.max(affected, providerSizes.getOrDefault(e.getKey(), affected));
            if (affected >= 2 && affected * 2 >= size && (cause == null || affected > cause.affected()
                    || (affected == cause.affected() && affected * cause.services() > cause.affected() * size))) {
                cause = new Cause(e.getKey(), affected, size);
            }
        }
        boolean mostlyOthers = telecom * 2 < serviceCount;
        List<MemberJson> json = members.stream().map(m -> new MemberJson(m.id(), m.service(), m.serviceName(), m.category(),
                m.provider(), m.startedAt(), m.endedAt(), m.endedAt() == null, m.reportCount(),
                mostlyOthers && TELECOM.equals(m.category()))).toList();
        int open = (int) members.stream().filter(m -> m.endedAt() == null).count();
        return new Group(members.get(0).startedAt(), members.get(members.size() - 1).startedAt(), serviceCount, open, cause,
                json);
    }
}
