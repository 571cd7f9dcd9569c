create or replace temp table checked as
select l.file, m.line_no, l.line, r.*,
  case
    when coalesce(r.lead_id, '') = '' then {'field': 'lead_id', 'reason': 'missing lead id'}
    when try_cast(r.created_at as timestamptz) is null then {'field': 'created_at', 'reason': 'missing or not an ISO-8601 timestamp'}
    when coalesce(r.channel, '') = '' then {'field': 'channel', 'reason': 'missing channel'}
  end as problem
from csv_rows r
join csv_line_map m using (row_idx)
join landed_lines l on l.line_no = m.line_no;

insert into raw.leads
select getvariable('landed_file'), line_no, lead_id, created_at::timestamptz, lower(channel),
       nullif(campaign_id, ''), nullif(phone, ''), nullif(country, ''), nullif(crm_contact_id, ''),
       current_timestamp
from checked where problem is null order by line_no;
