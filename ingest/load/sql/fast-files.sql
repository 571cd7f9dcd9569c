-- After the fast path's insert: the files it loaded whole, because every line became exactly one
-- row in `raw_table`, numbered 1..lines, and none had a problem (rows with a problem are not
-- inserted, so the count falls short). This transaction's rows are those whose loaded_at is its
-- current_timestamp, which also lets DuckDB skip older row groups. Every other file is loaded
-- again line by line (careful path), which names each bad line's number, field and reason and
-- keeps its text. A file with no lines is whole.
create or replace temp table fast_files as
select l.file, l.lines,
       coalesce(c.rows = l.lines and c.first_line = 1 and c.last_line = l.lines, l.lines = 0) as whole
from landed_counts as l
left join (
  select file, count(*) as rows, min(line_no) as first_line, max(line_no) as last_line
  from query_table(getvariable('raw_table'))
  where loaded_at = current_timestamp and file in (select file from landed_counts)
  group by file
) as c using (file);
