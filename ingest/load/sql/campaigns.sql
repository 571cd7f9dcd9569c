create or replace temp table checked as
select l.file, m.line_no, l.line, r.*,
  case
    when coalesce(r.campaign_id, '') = '' then {'field': 'campaign_id', 'reason': 'missing campaign id'}
    when coalesce(r.channel, '') = '' then {'field': 'channel', 'reason': 'missing channel'}
    when r.started_on is not null and try_cast(r.started_on as date) is null then {'field': 'started_on', 'reason': 'not a date (YYYY-MM-DD): ' || r.started_on}
    when r.ended_on is not null and try_cast(r.ended_on as date) is null then {'field': 'ended_on', 'reason': 'not a date (YYYY-MM-DD): ' || r.ended_on}
    when r.budget is not null and try_cast(r.budget as double) is null then {'field': 'budget', 'reason': 'not a number: ' || r.budget}
  end as problem
from csv_rows r
join csv_line_map m using (row_idx)
join landed_lines l on l.line_no = m.line_no;

insert into raw.campaigns
select getvariable('landed_file'), line_no, campaign_id, name, lower(channel), kind, objective,
       started_on::date, ended_on::date, budget::double, currency, current_timestamp
from checked where problem is null order by line_no;
