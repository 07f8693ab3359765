-- API keys for heavy users of the public API: higher rate limits than anonymous clients.
-- Only the SHA-256 of a key is stored; the key itself is shown once, when it is created.
create table api_key (
    id           bigint generated always as identity primary key,
    name         text not null check (char_length(name) between 1 and 100),
    key_hash     bytea not null unique check (octet_length(key_hash) = 32),
    rate_limit   integer check (rate_limit > 0),     -- requests per period; null: the configured default
    created_at   timestamptz not null default now(),
    revoked_at   timestamptz
);
