-- The catalog as managed data (org.downwatch.catalog.CatalogAdmin): services can be hidden and merged,
-- keep answering at their old slugs, have other names a search finds; every change is audited and bumps
-- a version that every instance polls to reload its in-memory catalog.

alter table service add column hidden boolean not null default false;
-- a merged service keeps its row (its slug stays reserved and redirects); its history moved to the target
alter table service add column merged_into integer references service (id);
alter table service add constraint service_not_merged_into_itself check (merged_into is null or merged_into <> id);

-- Slugs a service answered at before a rename: they redirect to it for ever, and are never given to another.
create table service_slug (
    slug       text primary key check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    service_id integer not null references service (id) on delete cascade,
    retired_at timestamptz not null default now()
);
create index service_slug_service_idx on service_slug (service_id);

-- Other names a search should find ("Crédit Lyonnais" for LCL).
create table service_alias (
    service_id integer not null references service (id) on delete cascade,
    alias      text not null check (char_length(alias) between 1 and 100),
    primary key (service_id, alias)
);

-- Who changed what in the catalog, and when.
create table catalog_audit (
    id      bigint generated always as identity primary key,
    at      timestamptz not null default now(),
    actor   text not null,                   -- "admin-token" (and the name the caller gave) or "migration"
    action  text not null,                   -- service.create, service.update, service.merge, import...
    subject text not null,                   -- "service:la-poste", "category:bank", "catalog"
    details jsonb not null default '{}'
);
create index catalog_audit_at_idx on catalog_audit (at desc, id desc);
create index catalog_audit_subject_idx on catalog_audit (subject, at desc);

-- One row: bumped in the transaction of every catalog change, polled by every instance every few seconds.
-- Catalog changes also lock this row, so that they run one at a time (slug checks cannot race).
create table catalog_version (
    id         integer primary key check (id = 1),
    version    bigint not null,
    changed_at timestamptz not null default now()
);
insert into catalog_version (id, version) values (1, 1);
