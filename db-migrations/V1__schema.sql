-- Downwatch schema v1.
-- Times are timestamptz, stored and computed in UTC. Report counts are rolled up per minute
-- (report_minute) in the same transaction as the reports, so that charts and detection never scan
-- raw reports.

-- ## Catalog ---------------------------------------------------------------------------------------

create table category (
    slug      text primary key check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name_en   text not null,
    name_fr   text not null,
    position  integer not null default 0
);

create table service (
    id          integer generated always as identity primary key,
    slug        text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name        text not null,
    category    text not null references category (slug),
    country     text check (country ~ '^[A-Z]{2}$'),  -- null: the service is worldwide
    website_url text,
    created_at  timestamptz not null default now(),
    -- lower-case, accent-free name for search ("la poste" finds "La Poste", "telecom" finds "Télécom")
    search_key  text generated always as (
        lower(translate(name,
            'ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖØòóôõöøÙÚÛÜùúûüÝýÿ',
            'AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOOooooooUUUUuuuuYyy'))) stored
);
create index service_category_idx on service (category);

-- What can go wrong ("indicators"). A service offers the problem types of its category plus its own.
create table problem_type (
    id        integer generated always as identity primary key,
    slug      text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    label_en  text not null,
    label_fr  text not null
);

create table category_problem_type (
    category        text not null references category (slug) on delete cascade,
    problem_type_id integer not null references problem_type (id),
    position        integer not null default 0,
    primary key (category, problem_type_id)
);

create table service_problem_type (
    service_id      integer not null references service (id) on delete cascade,
    problem_type_id integer not null references problem_type (id),
    position        integer not null default 0,
    primary key (service_id, problem_type_id)
);

-- The problem types a person can pick for a service, in display order: the service's own first.
create view service_problem_types as
select s.id as service_id, pt.id as problem_type_id, pt.slug, pt.label_en, pt.label_fr,
       min(x.position) as position
from service s
join (
    select spt.service_id, spt.problem_type_id, spt.position from service_problem_type spt
    union all
    select s2.id, cpt.problem_type_id, 1000 + cpt.position
    from service s2 join category_problem_type cpt on cpt.category = s2.category
) x on x.service_id = s.id
join problem_type pt on pt.id = x.problem_type_id
group by s.id, pt.id, pt.slug, pt.label_en, pt.label_fr;

-- ## Reports ---------------------------------------------------------------------------------------

create sequence report_id_seq as bigint cache 100;

-- One row per counted report. Partitioned by day on received_at so that retention is a partition
-- drop; partitions are created ahead of time by ensure_report_partitions (at start and daily).
-- No foreign keys on this hot table: services and problem types are never deleted.
create table report (
    id              bigint not null default nextval('report_id_seq'),
    service_id      integer not null,
    problem_type_id integer not null,
    received_at     timestamptz not null,            -- server time, never the client's
    country         text check (country ~ '^[A-Z]{2}$'),
    city            text check (char_length(city) <= 100),
    postcode        text check (char_length(postcode) <= 16),
    source          text not null check (source in ('web', 'api', 'demo')),
    reporter_hash   bytea not null,                  -- keyed hash of the reporter; never a raw IP
    primary key (id, received_at)
) partition by range (received_at);

-- Creates the daily partitions of report covering [from_day, to_day] (idempotent).
-- Returns how many partitions it created.
create function ensure_report_partitions(from_day date, to_day date) returns integer
language plpgsql as $$
declare
    d date := from_day;
    created integer := 0;
    part text;
begin
    while d <= to_day loop
        part := 'report_' || to_char(d, 'YYYYMMDD');
        if to_regclass(part) is null then
            execute format(
                'create table %I partition of report for values from (%L) to (%L)',
                part, d::timestamp at time zone 'UTC', (d + 1)::timestamp at time zone 'UTC');
            created := created + 1;
        end if;
        d := d + 1;
    end loop;
    return created;
end $$;

-- Drops the daily partitions entirely older than before_day. Returns how many it dropped.
create function drop_report_partitions_before(before_day date) returns integer
language plpgsql as $$
declare
    r record;
    dropped integer := 0;
begin
    for r in
        select c.relname from pg_inherits i
        join pg_class c on c.oid = i.inhrelid
        join pg_class p on p.oid = i.inhparent
        where p.relname = 'report' and c.relname ~ '^report_[0-9]{8}$'
          and to_date(substr(c.relname, 8), 'YYYYMMDD') < before_day
    loop
        execute format('drop table %I', r.relname);
        dropped := dropped + 1;
    end loop;
    return dropped;
end $$;

select ensure_report_partitions((now() at time zone 'UTC')::date - 15, (now() at time zone 'UTC')::date + 7);

-- Per-minute counts per service and problem type, kept in step with report in the same transaction.
create table report_minute (
    service_id      integer not null,
    problem_type_id integer not null,
    minute          timestamptz not null,            -- aligned to the UTC minute
    count           integer not null check (count >= 0),
    primary key (service_id, minute, problem_type_id)
);
create index report_minute_minute_idx on report_minute (minute);

-- ## Detection -------------------------------------------------------------------------------------

-- The detector's latest verdict per service (one row per service, replaced every minute).
create table service_status (
    service_id     integer primary key references service (id) on delete cascade,
    level          text not null check (level in ('none', 'possible', 'problem')),
    since          timestamptz,                      -- estimated onset of the current possible/problem
    evaluated_at   timestamptz not null,             -- the (finished) minute last evaluated
    observed       integer not null,                 -- reports in the window
    expected       double precision not null,        -- usual reports in the window
    upper          double precision not null,        -- above this, the window is anomalous
    window_minutes integer not null,
    score          double precision not null check (score >= 0 and score <= 1)
);

create table incident (
    id           bigint generated always as identity primary key,
    service_id   integer not null references service (id) on delete cascade,
    started_at   timestamptz not null,              -- estimated onset, not the detection time
    detected_at  timestamptz not null,
    peak_at      timestamptz,
    peak_count   integer,                           -- reports in the peak minute
    peak_score   double precision,
    ended_at     timestamptz,                       -- null while open
    report_count integer not null default 0         -- reports from start to end
);
-- At most one open incident per service, whatever the number of app instances.
create unique index incident_one_open_per_service on incident (service_id) where ended_at is null;
create index incident_service_started_idx on incident (service_id, started_at desc);
create index incident_started_idx on incident (started_at desc);

create table incident_problem (
    incident_id     bigint not null references incident (id) on delete cascade,
    problem_type_id integer not null references problem_type (id),
    count           integer not null,
    primary key (incident_id, problem_type_id)
);

-- ## Settings kept by the application itself (generated secrets, demo stamp) ----------------------

create table app_setting (
    key        text primary key,
    value      text not null,
    updated_at timestamptz not null default now()
);
