package org.downwatch.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IncidentGroupsTest {

    static final Instant T = Instant.parse("2026-01-05T06:04:00Z");

    static IncidentGroups.Member m(long id, String service, String category, String provider, int minutes) {
        return new IncidentGroups.Member(id, service, service, category, provider, T.plusSeconds(minutes * 60L), null, 10);
    }

    @Test
    void groupsIncidentsStartingWithinTheWindowOfTheFirst() {
        List<IncidentGroups.Group> g = IncidentGroups.group(List.of(m(1, "facebook", "social", "Meta", 0),
                m(2, "instagram", "social", "Meta", 3), m(3, "whatsapp", "messaging", "Meta", 9),
                m(4, "orange", "telecom", null, 6), m(5, "steam", "games", null, 25), m(6, "discord", "messaging", null, 31),
                m(7, "ants", "public", null, 80)), Duration.ofMinutes(10), Map.of("Meta", 4));
        assertEquals(2, g.size(), "the lone incident at +80 min is no group");
        IncidentGroups.Group first = g.get(0);
        assertEquals(4, first.serviceCount());
        assertEquals(T, first.startedAt());
        assertEquals(new IncidentGroups.Cause("Meta", 3, 4), first.likelyCause());
        assertTrue(first.incidents().stream().filter(i -> i.service().equals("orange")).findFirst().orElseThrow().collateral());
        assertFalse(first.incidents().stream().filter(i -> i.service().equals("facebook")).findFirst().orElseThrow().collateral());
        assertEquals(List.of("steam", "discord"), g.get(1).incidents().stream().map(IncidentGroups.MemberJson::service).toList());
        assertNull(g.get(1).likelyCause());
    }

    @Test
    void namesNoProviderWhenFewOfItsServicesAreInTrouble() {
        List<IncidentGroups.Group> g = IncidentGroups.group(List.of(m(1, "outlook", "email", "Microsoft", 0),
                m(2, "steam", "games", null, 1), m(3, "orange", "telecom", null, 2), m(4, "sfr", "telecom", null, 2)),
                Duration.ofMinutes(10), Map.of("Microsoft", 6));
        assertNull(g.get(0).likelyCause());
        assertTrue(g.get(0).incidents().stream().noneMatch(IncidentGroups.MemberJson::collateral),
                "half the group are operators: an operator's own outage, not collateral");
    }
}
