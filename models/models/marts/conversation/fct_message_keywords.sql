{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='message_id',
    )
}}

-- One row per inbound message x keyword topic it mentions (R7 hot-keywords field, R15 automatic
-- tags, R23 hot-keyword frequency). The dictionary is the keyword_dictionary seed (230+ keywords in
-- English, Traditional and Simplified Chinese, Korean and Portuguese, grouped into the topics of
-- keyword_topics). Matching: `contains` keywords (Chinese, Korean) match anywhere in the
-- lower-cased text; `word` keywords (English, Portuguese) match whole words or phrases: the text's
-- non-letter/non-digit characters become spaces and the keyword must sit between spaces.
-- A message counts once per topic however many of the topic's keywords it has.
-- Incremental: only messages fct_messages wrote since this model's newest row are read (a
-- message's text cannot change; an untagged message is not read again every day); after a
-- dictionary change run `dbt build --full-refresh -s fct_message_keywords+`.

with

messages as (

    select message_id, customer_key, sent_at_utc, sent_date_local, text
    from {{ ref('fct_messages') }}
    where direction = 'inbound'
      and text is not null
      and length(text) > 0
    {% if is_incremental() %}
      and built_at > {{ build_watermark() }}
    {% endif %}

),

prepared as (

    select
        *,
        lower(text) as text_lower,
        ' ' || regexp_replace(lower(text), '[^\p{L}\p{N}'']+', ' ', 'g') || ' ' as text_words,
        -- strlen counts bytes, length characters
        strlen(text) = length(text) as is_ascii
    from messages

),

dictionary as (

    select
        lower(keyword) as keyword,
        topic,
        language,
        match_type,
        ' ' || regexp_replace(lower(keyword), '[^\p{L}\p{N}'']+', ' ', 'g') || ' ' as keyword_words,
        strlen(keyword) = length(keyword) as is_ascii
    from {{ ref('keyword_dictionary') }}

),

word_matches as (

    -- whole words and phrases through an equality join on the phrase's first word: testing every
    -- keyword against every message was 1.1 billion string searches at 10M messages
    select p.message_id, p.customer_key, p.sent_at_utc, p.sent_date_local, d.topic, d.keyword, d.language
    from (
        select *, unnest(string_split(trim(text_words), ' ')) as word from prepared
    ) as p
    inner join (
        select *, split_part(trim(keyword_words), ' ', 1) as first_word from dictionary where match_type = 'word'
    ) as d
        on d.first_word = p.word and contains(p.text_words, d.keyword_words)

),

contains_matches as (

    -- substrings (Chinese, Korean): a keyword with a character beyond ASCII can only sit in a text
    -- that has one, so an ASCII-only text is searched for the ASCII keywords alone
    select p.message_id, p.customer_key, p.sent_at_utc, p.sent_date_local, d.topic, d.keyword, d.language
    from (select * from prepared where not is_ascii) as p
    inner join (select * from dictionary where match_type <> 'word') as d on contains(p.text_lower, d.keyword)
    union all
    select p.message_id, p.customer_key, p.sent_at_utc, p.sent_date_local, d.topic, d.keyword, d.language
    from (select * from prepared where is_ascii) as p
    inner join (select * from dictionary where match_type <> 'word' and is_ascii) as d on contains(p.text_lower, d.keyword)

),

matches as (

    select * from word_matches
    union all
    select * from contains_matches

)

select
    message_id,
    topic,
    any_value(customer_key) as customer_key,
    any_value(sent_at_utc) as sent_at_utc,
    any_value(sent_date_local) as sent_date_local,
    list(distinct keyword order by keyword) as keywords,
    list(distinct language order by language) as languages,
    {{ build_stamp() }} as built_at
from matches
group by message_id, topic
