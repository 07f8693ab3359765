package org.downwatch.demo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The demo's official notices: La Poste says "identified" 23 minutes after people started reporting this
 * morning's outage; Steam had declared the maintenance its evening outage fell in (that incident is labelled
 * maintenance); Ameli is in a planned maintenance window now. Marked {@code source = 'demo'}: replaced with
 * the demo history, never sent to webhooks.
 */
final class DemoNotices {

    private DemoNotices() {
    }

    static void write(Connection c, Instant now) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("delete from service_notice where source = 'demo'");
        }
        for (DemoTraffic.Outage o : DemoTraffic.outagesAround(now)) {
            if (o.service().equals("la-poste") && o.start().isAfter(now.minus(Duration.ofDays(1)))) {
                insert(c, "la-poste", "identified",
                        "Un incident technique perturbe le suivi des colis et l'impression des timbres en ligne. Nos équipes "
                                + "travaillent à le résoudre ; les envois déjà déposés sont acheminés normalement.",
                        "A technical incident is disrupting parcel tracking and online stamp printing. Our teams are working "
                                + "on a fix; items already posted are being delivered as usual.",
                        null, null, o.start().plus(23, ChronoUnit.MINUTES));
            }
            if (o.service().equals("steam")) {
                Instant start = o.start().minus(30, ChronoUnit.MINUTES);
                insert(c, "steam", "maintenance",
                        "Maintenance des serveurs de jeu et du magasin : connexions interrompues par moments.",
                        "Game server and store maintenance: connections may drop at times.",
                        start, start.plus(3, ChronoUnit.HOURS), start.minus(1, ChronoUnit.DAYS));
            }
        }
        Instant start = now.truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS);
        insert(c, "ameli", "maintenance",
                "Maintenance programmée du compte ameli : la consultation des remboursements peut être indisponible.",
                "Planned maintenance of the ameli account: reimbursements may be unavailable to view.",
                start, start.plus(4, ChronoUnit.HOURS), start.minus(2, ChronoUnit.DAYS));
    }

    private static void insert(Connection c, String slug, String kind, String fr, String en, Instant startsAt, Instant endsAt,
            Instant postedAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into service_notice (service_id, source, kind, message_fr, "
                + "message_en, starts_at, ends_at, posted_at) select id, 'demo', ?, ?, ?, ?, ?, ? from service where slug = ?")) {
            ps.setString(1, kind);
            ps.setString(2, fr);
            ps.setString(3, en);
            ps.setTimestamp(4, startsAt == null ? null : Timestamp.from(startsAt));
            ps.setTimestamp(5, endsAt == null ? null : Timestamp.from(endsAt));
            ps.setTimestamp(6, Timestamp.from(postedAt));
            ps.setString(7, slug);
            ps.executeUpdate();
        }
    }
}
