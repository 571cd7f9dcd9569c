-- Splits the landed files listed in the temp table `landed_files(abs, rel)` (and the variable
-- `landed_paths`, the same absolute paths) into numbered lines (1-based) per file, set-based; the
-- empty string after a file's final newline is not a line.
create or replace temp table landed_lines as
select f.rel as file, s.line_no, s.line
from (
  select filename, unnest(parts) as line, unnest(range(1, len(parts) + 1)) as line_no, len(parts) as n
  from (select filename, string_split(content, chr(10)) as parts from read_text(getvariable('landed_paths')))
) as s
join landed_files as f on f.abs = s.filename
where not (s.line_no = s.n and s.line = '');
