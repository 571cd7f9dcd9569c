-- Reads a landed CSV export (header row, text cells) set-based. Rows that do not parse go to
-- `csv_rejects` with their line; the others are numbered with their line in the file.
create or replace temp table csv_rows as
select row_number() over () as row_idx, *
from read_csv(getvariable('landed_path'), header = true, all_varchar = true, auto_detect = true,
              ignore_errors = true, store_rejects = true, rejects_table = 'csv_rejects',
              rejects_scan = 'csv_reject_scans', parallel = false);

create or replace temp table csv_line_map as
select row_number() over (order by line_no) as row_idx, line_no
from landed_lines
where line_no > 1 and trim(line) <> ''
  and line_no not in (select line from csv_rejects where line is not null);
