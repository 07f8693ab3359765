-- Where the reports come from (issue 24): the service page and /api/v1/services/{slug}/regions group the raw
-- reports of one service over the open incident or the last 24 hours. Without this index that is a scan of
-- every report of the day's partitions for every service page rendered (measured with 1.5M reports in a day:
-- 146 ms for a quiet service with 300 reports, 1.4 ms with the index; 191 ms -> 118 ms for 23k reports).
-- Cost: bulk inserts into report take about twice as long (200k rows: 1.1-1.6 s -> 2.7-3.4 s), i.e. some
-- 8 microseconds more per counted report. Partitioned: each daily partition gets its own index.
create index report_service_received_idx on report (service_id, received_at);
