package org.downwatch.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.downwatch.report.ReportPartitions;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SchemaTest {

    @Inject
    EntityManager em;

    @Inject
    ReportPartitions partitions;

    @Test
    @Transactional
    void migrationsCreateTheTablesOfSchemaV1() {
        @SuppressWarnings("unchecked")
        List<String> tables = em.createNativeQuery(
                "select table_name from information_schema.tables where table_schema = 'public'").getResultList();
        for (String t : List.of("category", "service", "problem_type", "category_problem_type",
                "service_problem_type", "report", "report_minute", "service_status", "incident",
                "incident_problem", "app_setting", "detector_state", "flyway_schema_history")) {
            assertTrue(tables.contains(t), "table " + t + " exists");
        }
    }

    @Test
    @Transactional
    void reportIsPartitionedByTimeWithPartitionsCreatedAhead() {
        String strategy = (String) em.createNativeQuery(
                "select pt.partstrat::text from pg_partitioned_table pt join pg_class c on c.oid = pt.partrelid "
                        + "where c.relname = 'report'").getSingleResult();
        assertEquals("r", strategy, "range partitioning");
        List<String> names = partitionNames();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        for (int d = 0; d <= 7; d++) {
            String expected = "report_" + today.plusDays(d).format(DateTimeFormatter.BASIC_ISO_DATE);
            assertTrue(names.contains(expected), expected + " exists ahead of time; got " + names);
        }
    }

    @Test
    void retentionIsAPartitionDrop() {
        LocalDate old = LocalDate.of(2020, 1, 1);
        assertEquals(2, partitions.ensure(old, old.plusDays(1)));
        assertEquals(0, partitions.ensure(old, old.plusDays(1)), "ensure is idempotent");
        assertTrue(partitionNamesInTx().contains("report_20200101"));
        partitions.maintain(); // retention is 400 days: 2020 is long gone
        List<String> after = partitionNamesInTx();
        assertTrue(!after.contains("report_20200101") && !after.contains("report_20200102"), "dropped: " + after);
        assertTrue(after.contains("report_" + LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE)));
    }

    @Test
    @Transactional
    void aReportIsStoredInTheRightDailyPartition() {
        em.createNativeQuery("insert into report (service_id, problem_type_id, received_at, source, reporter_hash) "
                + "values (1, 1, now(), 'api', '\\x00')").executeUpdate();
        Object partition = em.createNativeQuery(
                "select tableoid::regclass::text from report order by id desc limit 1").getSingleResult();
        assertEquals("report_" + LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE), partition);
        em.createNativeQuery("delete from report where source = 'api' and reporter_hash = '\\x00'").executeUpdate();
    }

    @Test
    @Transactional
    void noDemoDataInTests() {
        Number demo = (Number) em.createNativeQuery("select count(*) from report where source = 'demo'").getSingleResult();
        assertEquals(0, demo.intValue());
    }

    @Transactional
    List<String> partitionNamesInTx() {
        return partitionNames();
    }

    @SuppressWarnings("unchecked")
    private List<String> partitionNames() {
        return em.createNativeQuery("select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid "
                + "join pg_class p on p.oid = i.inhparent where p.relname = 'report'").getResultList();
    }
}
