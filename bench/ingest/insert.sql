-- pgbench: PostgreSQL's own single-row INSERT rate into the same table (one transaction per row).
\set s random(1, 60)
insert into report (service_id, problem_type_id, received_at, country, city, source, reporter_hash)
values (:s, 1, now(), 'FR', 'Lyon', 'api', '\x00112233445566778899aabbccddeeff');
