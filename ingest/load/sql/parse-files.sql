-- Fast path: DuckDB's own NDJSON reader parses every staged file in one parallel pass into the
-- source's typed fields (`line_type`). It is strict: a line that is not a JSON object fails the
-- statement (the loader then narrows the batch down). The reader keeps the files' order and so
-- does the table it fills, whose rowid therefore numbers the lines (DuckDB guarantees both; a
-- row_number() window would too, but it keeps the whole read on one thread). A line's number is
-- its row's distance from its file's first row. The reader skips blank lines, which would shift
-- the numbers: fast-files.sql then sends the file down the careful path.
create or replace temp table fast_lines as
select file_index, r
from read_json(getvariable('landed_paths'), format = 'newline_delimited', records = false,
               columns = {r: getvariable('line_type')});

-- The rowid of each staged file's first row, in staging order (null for a file without rows):
-- looked up by the reader's file_index rather than joined, so that the rows keep their order
-- into the raw table.
set variable fast_first_rowids = (
  select list(s.first_rowid order by f.idx)
  from landed_files as f
  left join (select file_index, min(rowid) as first_rowid from fast_lines group by file_index) as s
    on s.file_index = f.idx
);

create or replace temp view parsed as
select getvariable('landed_rels')[file_index::bigint + 1] as file,
       rowid + 1 - getvariable('fast_first_rowids')[file_index::bigint + 1] as line_no,
       null::varchar as line,
       r
from fast_lines;
