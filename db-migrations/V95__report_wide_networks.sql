-- Counting that resists sybils (issue 22).
-- 1. The wide-network cap (IPv4 /24, IPv6 /48: at most N counted reports per service per window) lives in
--    report_network beside the address-network rows: the same shape, keyed by a keyed hash of the wide network
--    under a different label, so nothing changes in the table.
-- 2. Which wide networks the counted reports of a minute came from, per service: a 256-bit sketch (four
--    bigints, bit = a keyed hash of the /24 or /48, the same key every day) OR-ed in by the writer in the same
--    transaction as report_minute. The detector unions the sketches of its window to count distinct wide
--    networks (linear counting): a problem needs enough of them. 8 bits of a keyed hash of a /24 per service
--    and minute say nothing about a person. A minute without a row (history imported, demo data, counts
--    from before this migration) is "unknown" and is not gated.
create table report_minute_network (
    service_id integer not null,
    minute     timestamptz not null,            -- aligned to the UTC minute
    b0 bigint not null default 0,
    b1 bigint not null default 0,
    b2 bigint not null default 0,
    b3 bigint not null default 0,
    primary key (service_id, minute)
);
create index report_minute_network_minute_idx on report_minute_network (minute);

comment on table report_minute_network is 'Per service and minute, a 256-bit sketch of the wide networks (IPv4 /24, '
    'IPv6 /48) its counted reports came from (ReportWriter); the detector counts distinct networks from it. Never an address.';
