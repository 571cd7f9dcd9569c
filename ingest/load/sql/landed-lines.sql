-- Splits the landed file named by the variable `landed_path` into numbered lines (1-based),
-- set-based; the empty string after the final newline is not a line.
create or replace temp table landed_lines as
select line_no, line
from (
  select unnest(parts) as line, unnest(range(1, len(parts) + 1)) as line_no, len(parts) as n
  from (select string_split(content, chr(10)) as parts from read_text(getvariable('landed_path')))
)
where not (line_no = n and line = '');
