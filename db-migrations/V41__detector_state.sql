-- What each service's detector has learned (its weekly profile, levels, recent minutes), saved by the
-- instance that evaluates, so that a restart or another instance taking over restores it instead of
-- replaying weeks of report_minute. A snapshot is one minute for all services: the rows of one save share
-- `minute`. `settings` is the detector's state key (its state version and every detection setting): a
-- state learned under other settings is not restored.
create table detector_state (
    service_id integer primary key references service (id) on delete cascade,
    minute     timestamptz not null,                   -- the last minute the state has seen
    settings   text not null,
    state      bytea not null,                          -- deflated by the application
    saved_at   timestamptz not null default now()
);
-- already deflated: do not let PostgreSQL try to compress it again
alter table detector_state alter column state set storage external;
