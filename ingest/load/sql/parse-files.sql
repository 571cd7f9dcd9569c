-- Fast path: DuckDB's own NDJSON reader parses every staged file in one parallel pass into the
-- source's typed fields (`line_type`), read straight into the checks and the insert: a view,
-- because copying the read into a table first costs as much as the checks. It is strict: a line
-- that is not a JSON object fails the statement (the loader then narrows the batch down).
-- The reader numbers no lines, so rows arrive with line_no 0 and the insert numbers them
-- afterwards (see webhooks-insert.sql). It skips blank lines, which would shift the numbers:
-- fast-files.sql then sends the file down the careful path.
create or replace temp view parsed as
select getvariable('landed_rels')[file_index::bigint + 1] as file,
       0::bigint as line_no,
       null::varchar as line,
       r
from read_json(getvariable('landed_paths'), format = 'newline_delimited', records = false,
               columns = {r: getvariable('line_type')});
