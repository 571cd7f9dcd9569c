-- Careful path: each line of `landed_lines` parsed on its own, so that a line that is not JSON
-- (or not an object) is named instead of failing the batch. `line_json_type` holds the same
-- fields and types as the fast path's `line_type`. Ordered, so that the rows load in file order.
create or replace temp view parsed as
select file, line_no, line,
       case when json_valid(line) then json_transform(line, getvariable('line_json_type')) end as r
from landed_lines
order by file, line_no;
