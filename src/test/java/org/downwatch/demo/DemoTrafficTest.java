package org.downwatch.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoTrafficTest {

    @Test
    void hasAMorningWhenMetasAppsAndTwoIspsStartWithinTenMinutes() {
        Instant now = ZonedDateTime.of(2026, 1, 7, 12, 0, 0, 0, DemoTraffic.PARIS).toInstant();
        List<DemoTraffic.Outage> meta = DemoTraffic.outagesAround(now).stream()
                .filter(o -> o.start().atZone(DemoTraffic.PARIS).toLocalDate().equals(java.time.LocalDate.of(2026, 1, 5)))
                .toList();
        assertEquals(List.of("facebook", "instagram", "whatsapp", "messenger", "orange", "sfr"),
                meta.stream().map(DemoTraffic.Outage::service).toList());
        Instant first = meta.get(0).start();
        assertEquals(ZonedDateTime.of(2026, 1, 5, 9, 12, 0, 0, DemoTraffic.PARIS).toInstant(), first);
        DemoTraffic traffic = new DemoTraffic(now);
        for (DemoTraffic.Outage o : meta) {
            assertTrue(!o.start().isAfter(first.plus(Duration.ofMinutes(10))), o.service() + " starts within the window");
            // all of them well above their usual volume together, a quarter of an hour in
            assertTrue(traffic.outageAt(o.service(), first.plus(Duration.ofMinutes(15))) != null, o.service());
        }
    }

    @Test
    void hasThisMorningTheLaPosteGroupAndAnIspWithinTenMinutesAndWorksSignals() {
        Instant now = ZonedDateTime.of(2026, 1, 7, 12, 0, 0, 0, DemoTraffic.PARIS).toInstant();
        Instant first = ZonedDateTime.of(2026, 1, 7, 6, 4, 0, 0, DemoTraffic.PARIS).toInstant();
        List<DemoTraffic.Outage> morning = DemoTraffic.outagesAround(now).stream()
                .filter(o -> !o.start().isBefore(first) && !o.start().isAfter(first.plus(Duration.ofMinutes(10)))).toList();
        assertEquals(List.of("la-poste", "colissimo", "chronopost", "orange"),
                morning.stream().map(DemoTraffic.Outage::service).toList());
        DemoTraffic traffic = new DemoTraffic(now);
        Instant later = first.plus(Duration.ofMinutes(40));
        for (DemoTraffic.Outage o : morning) {
            assertTrue(traffic.outageAt(o.service(), later) != null, o.service());
        }
        // "it works for me" goes on beside the reports, fewer than them during the outage
        assertTrue(traffic.worksRate("la-poste", "postal", later) > 0);
        assertTrue(traffic.worksRate("la-poste", "postal", later) < traffic.rate("la-poste", "postal", later));
    }
}
