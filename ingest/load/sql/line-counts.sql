-- Lines per staged file, counted as landed-lines.sql counts them (the empty string after a final
-- newline is not a line): fast-files.sql compares them with the rows the fast path loaded.
create or replace temp table landed_counts as
select f.rel as file, len(t.parts) - (t.parts[-1] = '')::int as lines
from (
  select filename, string_split(content, chr(10)) as parts
  from read_text(getvariable('landed_paths'))
) as t
join landed_files as f on f.abs = t.filename;
