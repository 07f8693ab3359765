package org.downwatch.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.downwatch.catalog.CatalogModels.AuditEntry;

/** The catalog's audit trail ({@code catalog_audit}): who changed what, written with each change and read back by page. */
@ApplicationScoped
public class CatalogAudit {

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;

    CatalogAudit(AgroalDataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /** Changes newest first, optionally those of one subject ("service:la-poste"); with the total. */
    @Transactional
    public Map.Entry<List<AuditEntry>, Long> page(String subject, int page, int size) {
        try (Connection c = dataSource.getConnection()) {
            String where = subject == null ? "" : " where subject = ?";
            long total;
            try (PreparedStatement ps = c.prepareStatement("select count(*) from catalog_audit" + where)) {
                if (subject != null) {
                    ps.setString(1, subject);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<AuditEntry> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select id, at, actor, action, subject, details::text from catalog_audit"
                    + where + " order by at desc, id desc limit ? offset ?")) {
                int i = 1;
                if (subject != null) {
                    ps.setString(i++, subject);
                }
                ps.setInt(i++, size);
                ps.setLong(i, (long) (page - 1) * size);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(new AuditEntry(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                                rs.getString(5), json.readTree(rs.getString(6))));
                    }
                }
            }
            return Map.entry(items, total);
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records one change in the caller's transaction, so it is kept or rolled back with the change. */
    void record(Connection c, String actor, String action, String subject, Object details) throws SQLException {
        try {
            CatalogWriter.update(c, "insert into catalog_audit (actor, action, subject, details) values (?, ?, ?, ?::jsonb)",
                    actor, action, subject, json.writeValueAsString(details));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The members that changed, before and after. */
    ObjectNode changes(ObjectNode before, ObjectNode after) {
        ObjectNode out = json.createObjectNode();
        ObjectNode was = out.putObject("before");
        ObjectNode now = out.putObject("after");
        after.fieldNames().forEachRemaining(f -> {
            if (!Objects.equals(before.get(f), after.get(f)) && !f.equals("oldSlugs")) {
                was.set(f, before.get(f));
                now.set(f, after.get(f));
            }
        });
        return out;
    }
}
