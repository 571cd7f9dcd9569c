"""Writes the YAML of the conversation/behaviour/transaction/identity/operations models:
description = the SQL file's header comment; columns from the built warehouse (information_schema,
via a columns file) with descriptions from COMMON / per-model overrides; tests from TESTS.
Run after a build: python models/dev/gen_yaml.py /tmp/cols.txt  (developer tool; YAML is committed)."""
import re, sys, pathlib, yaml

ROOT = pathlib.Path(__file__).resolve().parents[1] / "models"
COMMON = {
 "customer_key": "The customer (dim_customers.customer_key): E.164 phone (R2), BSUID or crm:<record>.",
 "merged_customer_key": "The customer key after R8 duplicate merges (int_customers__merged); equals customer_key when not merged.",
 "conversation_id": "Conversation id: md5 of the conversation's opening inbound message id (fct_conversations).",
 "message_id": "WhatsApp message id (wamid).",
 "agent_id": "Human agent id (outbound log); 'business_app' for staff replying from the WhatsApp Business app.",
 "agent_name": "Agent display name from the outbound log.",
 "sent_at_utc": "When the message was sent (UTC).",
 "sent_date_local": "Local business date of the send (SCRM_TIMEZONE).",
 "sent_hour_local": "Local hour 0-23 of the send.",
 "sent_weekday_local": "Local ISO weekday of the send (1 = Monday).",
 "sender_kind": "agent | bot | automation | campaign | business_app | unknown (fct_messages).",
 "automation_id": "Automation / bot flow that sent the message.",
 "template_name": "WhatsApp template name (null for free-form messages).",
 "template_category": "Template category (marketing, utility, authentication, service).",
 "campaign_id": "Marketing campaign id ('none' in aggregates when there is none).",
 "message_type": "WhatsApp message type.",
 "status": "Status (see the model description).",
 "topic": "Keyword topic (seed keyword_topics).",
 "label": "Human label of the topic.",
 "business_currency": "The business (reporting) currency, var business_currency (config business.currency).",
 "as_of_date": "Date the scores are computed for (the newest order date).",
 "sent_date_local": "Local business date of the send (SCRM_TIMEZONE).",
 "agent_id": "Human agent id (outbound log); 'business_app' for staff replying from the WhatsApp Business app.",
}
M = {}
def cols(model, **d): M[model] = d

cols("int_business_hours__intervals", local_date="Local business date.", iso_weekday="ISO weekday of local_date (1 = Monday).",
     opens_at_utc="Opening instant of the interval (UTC).", closes_at_utc="Closing instant of the interval (UTC).",
     interval_seconds="Length of the interval in seconds.",
     cumulative_seconds_before="Business seconds of all earlier intervals (running total; business time between two instants is the difference of the running totals, summed per UTC day in int_business_hours__utc_days).")
cols("int_conversations__messages", direction="inbound | outbound.", actor="customer | human (agent, business_app) | bot (bot, automation) | unknown.",
     is_csat_survey="The message is a CSAT survey (var csat_automation_ids).", is_csat_answer="The message is a CSAT answer (button reply csat_1..5).",
     needs_reply="An inbound message that makes the customer wait (not a reaction, system, unsupported or CSAT answer).",
     message_no="Position of the message in its session (1 = first).")
cols("int_conversations__exchanges", exchange_id="conversation_id:<human replies before>; unique.", exchange_no="Order of the exchange in the conversation (1 = first).",
     first_customer_message_id="First inbound message of the wait.", customer_messages="Inbound messages sent while waiting.",
     waiting_since="Start of the wait (UTC): first needs_reply message after the previous human reply (Chatwoot's waiting_since).",
     waiting_since_date_local="Local date of waiting_since.", first_bot_reply_at="First bot/automation reply during the wait (does not end it).",
     reply_message_id="The human message that ended the wait.", replied_at="When the human reply came (UTC); null = unanswered.",
     replied_date_local="Local date of the reply (agent daily buckets).", is_replied="A human replied.",
     reply_seconds="Reply time in seconds (replied_at - waiting_since).", reply_seconds_business="Reply time counted in business hours only (seed business_hours).")
cols("int_customers__duplicate_pairs", customer_key_a="Smaller customer key of the pair.", customer_key_b="Larger customer key of the pair.",
     crm_contact_key_a="CRM record of customer a (best-matching name).", crm_contact_key_b="CRM record of customer b.",
     full_name_a="CRM name of a.", full_name_b="CRM name of b.", name_similarity="1 - levenshtein / longer length of the cleaned names (R8 >= 0.8).",
     jaro_winkler_similarity="Jaro-Winkler similarity of the cleaned names (for review).", shared_skus="SKUs both bought within 90 days of each other.",
     min_days_apart="Fewest days between their purchases of a shared SKU.")
cols("int_customers__merged", is_merged_away="The key is merged into another (smaller) key.", is_in_duplicate_cluster="The key belongs to a duplicate cluster.")
cols("int_messages__costed", market_country="Recipient market (ISO2 from the E.164 number; ZZ = other).", pricing_category="Category priced: Meta's pricing category, else the template category, else service.",
     billing="regular | service | free_customer_service | free_entry_point | not_delivered.", is_billable="The message is charged (billing = regular).",
     list_price_usd="Rate-card price for the market, category and date (USD).", cost_usd="Fee in USD (0 when free).", cost_business="Fee in the business currency.")
cols("int_fx_rates", currency="ISO-4217 currency.", valid_from="First date of the rate.", usd_per_unit="USD per unit of the currency.",
     to_business_rate="Multiply an amount in `currency` by this to get the business currency.")
cols("fct_conversations", opening_message_id="The inbound message that opened the conversation.", started_at_utc="First inbound message (UTC).",
     started_at_local="Start in the business time zone.", started_date_local="Local date of the start (daily buckets).", started_hour_local="Local hour of the start.",
     started_weekday_local="Local ISO weekday of the start.", last_message_at_utc="Last message of the conversation (UTC).",
     status="open | resolved | unanswered (see the model description).", is_closed="24 h have passed since the last message.",
     resolved_at_utc="Last business reply of a resolved conversation (CSAT survey excluded).", resolved_by="human | bot (bot-resolved: no human message).",
     messages="Messages in the conversation.", customer_messages="Inbound messages.", human_messages="Messages from agents / Business app staff.",
     bot_messages="Bot and automation messages.", first_agent_id="Agent of the first human reply.", last_agent_id="Agent of the last human message.",
     agent_ids="Every agent who wrote in the conversation.", first_human_reply_at_utc="First human reply (UTC).",
     first_response_seconds="FRT: first human reply - start, seconds; bots excluded (R22).", first_response_seconds_business="FRT in business hours.",
     first_bot_response_seconds="Seconds to the first bot/automation reply (reported separately).", exchanges="Customer waits (int_conversations__exchanges).",
     replied_exchanges="Waits ended by a human reply.", avg_reply_seconds="Average reply time per exchange.", median_reply_seconds="Median reply time per exchange.",
     avg_reply_seconds_business="Average reply time per exchange in business hours.", resolution_seconds="Resolution time: resolved_at - start (R28).",
     resolution_seconds_business="Resolution time in business hours.", has_unanswered_tail="The customer's last message came after the last business reply.",
     csat_survey_sent="A CSAT survey was sent in the conversation.", topics="Keyword topics mentioned by the customer (fct_message_keywords).",
     discount_mentions="Messages mentioning a discount (R15).", has_complaint="The customer complained (complaint topic; R26 complaint rate).",
     has_discount_question="The customer asked for a discount (R20, R23).", has_agent_request="The customer asked for a human (R20).",
     next_order_key="The customer's first order (not cancelled) at or after the start.", next_order_at_utc="When that order was placed.",
     converted_within_7d="An order followed within 7 days (conversion).")
cols("fct_message_keywords", keywords="Keywords of the topic found in the message.", languages="Languages of the matched keywords.")
cols("fct_agent_daily", agent_day_key="agent_id:date; unique.", activity_date="Local business date.", messages_sent="Messages the agent sent.",
     conversations_handled="Distinct conversations the agent wrote in.", replies="Customer waits the agent ended.", reply_seconds_sum="Sum of reply seconds (re-aggregate averages as sum / replies).",
     avg_reply_seconds="Average reply time (R22 coaching flag input).", median_reply_seconds="Median reply time.", p90_reply_seconds="90th percentile reply time.",
     avg_reply_seconds_business="Average reply time in business hours.", median_reply_seconds_business="Median reply time in business hours.",
     replies_over_threshold="Replies slower than 6 minutes.", is_flagged_slow="R22 coaching flag: average reply time in business hours above 6 minutes.",
     is_slow_wall_clock="Average wall-clock reply time above 6 minutes (overnight waits included).",
     first_responses="Conversations whose first human reply was this agent's.", avg_first_response_seconds="Average FRT.", median_first_response_seconds="Median FRT.",
     p90_first_response_seconds="p90 FRT.", median_first_response_seconds_business="Median FRT in business hours.", resolutions="Conversations resolved with this agent as last agent.",
     median_resolution_seconds="Median resolution time of those.", csat_responses="CSAT answers for conversations the agent closed.", csat_positive="Answers rated 4 or 5.",
     csat_avg_rating="Average CSAT rating.")
cols("fct_csat_responses", survey_message_id="The survey message (outbound).", agent_id="The conversation's last agent.", survey_sent_at_utc="When the survey was sent.",
     survey_sent_date_local="Local date of the survey (response-rate bucket).", survey_delivered="The survey reached the phone.",
     response_message_id="The answer (inbound button reply).", responded_at_utc="When the customer answered.", responded_date_local="Local date of the answer (score bucket).",
     rating="Rating 1-5.", has_response="The survey was answered (response rate = answered / surveys).", is_positive="Rating 4 or 5 (score = positive / responses).")
cols("agg_keyword_daily", keyword_date="Local date (conversations by start date, messages by send date).", messages="Inbound messages mentioning the topic.",
     customers="Distinct customers mentioning it.", conversations_with_topic="Conversations started that day mentioning the topic.",
     conversations="Conversations started that day.", conversation_share="conversations_with_topic / conversations (R23).")
cols("fct_outbound_funnel", is_sent="Accepted by WhatsApp (a sent status, or delivered).", is_delivered="Reached the phone (read implies delivered).",
     is_read="Read (or played).", is_failed="Failed (R6).", is_status_pending="No status received yet (Insider's 'delivery pending').",
     is_replied="The customer wrote within 72 h of the send.", reply_message_id="That inbound message.", reply_after_seconds="Seconds from send to that reply.",
     delivered_at="First delivered status.", read_at="First read status.", read_after_seconds="Seconds from send to read.",
     is_read_within_24h="Read within 24 h (R17).", failed_at="First failed status.", error_code="Meta error code of the failure (R6).",
     error_label="Friendly error label (seed meta_error_codes).", pricing_category="Category priced (int_messages__costed).", billing="Billing class (int_messages__costed).",
     cost_usd="Meta fee in USD.", cost_business="Meta fee in the business currency.")
cols("agg_campaign_funnel", first_sent_date="First local send date.", last_sent_date="Last local send date.", attempted="Messages attempted.",
     sent="Accepted by WhatsApp.", delivered="Delivered.", read="Read.", replied="Delivered and answered within 72 h.", failed="Failed.",
     status_pending="No status yet.", recipients="Distinct recipients.", delivery_rate="delivered / attempted.", read_rate="read / delivered.",
     reply_rate="replied / delivered.", failure_rate="failed / attempted.", cost_usd="Meta fees (USD).", cost_business="Meta fees (business currency).")
cols("agg_delivery_failures_daily", failure_date="Local send date.", error_code="Meta error code (-1 = none given).", error_label="Friendly label.",
     failed_messages="Failed sends.", customers="Distinct customers affected.")
cols("agg_activity_heatmap", weekday="Local ISO weekday (1 = Monday).", weekday_name="Weekday name.", hour="Local hour 0-23.",
     inbound_messages="Inbound messages in the cell.", outbound_messages="Outbound messages.", agent_messages="Agent messages (staffing).",
     conversations_started="Conversations started.", inbound_share="Share of all inbound messages (R24: 14-16 h = 35%).")
cols("fct_customer_segments", segment_spell_key="customer_key:valid_from; unique.", segment="high_interest | potential | engaged | dormant | churned (R16).",
     valid_from="First local date in the segment.", valid_to="First local date no longer in it (exclusive); null = current.", is_current="The spell is the current one.",
     questions_7d_at_start="Product questions in the 7 days to valid_from.", conversations_30d_at_start="Conversations in the 30 days to valid_from.",
     last_inbound_day_at_start="Last inbound day on valid_from.")
cols("fct_customer_segments_daily", segment_date="Local date.", segment="R16 segment on that date.")
cols("fct_unread_messages", status="Delivery status (sent | delivered).", is_delivered="Delivered to the phone.", as_of_at_utc="The list's reference time: newest message in the warehouse.",
     hours_unread="Hours since the send, as of as_of_at_utc.", customer_unread_messages="Unread messages of the same customer on the list.",
     is_low_priority="R17: the customer gets a lower priority.")
cols("fct_policy_violations", violation_id="md5 of kind, customer, message and detail; unique.", violation_kind="The R4 rule broken (see the model description).",
     message_id="The offending send (the latest one for monthly counts; null for the daily cap).", sent_at_utc="When the offending send happened.",
     violation_date="Local date of the violation.", template_name="Template (or automation id for the human-pause rule).", occurrences="Sends counted by the rule.",
     detail="Evidence: the previous send, the month or the cap.")
cols("fct_funnel", first_contact_at_utc="Stage 1: first inbound message.", first_contact_date_local="Local date of first contact.", cohort_month="Month of first contact.",
     inquiry_at_utc="Stage 2: first product-detail question.", price_question_at_utc="Stage 3: first price/discount question at or after the inquiry.",
     first_order_at_utc="Stage 4: first order at or after the price question.", first_order_key="That order.", first_order_payment_method="Its payment method (R25).",
     repeat_order_at_utc="Stage 5: the next order.", first_order_at_any_utc="First order regardless of stages.", stage_reached="Highest stage reached (1-5).",
     stage_reached_name="Name of the highest stage.", days_contact_to_inquiry="Days from stage 1 to 2.", days_inquiry_to_price="Days from stage 2 to 3.",
     days_price_to_order="Days from stage 3 to 4.", days_order_to_repeat="Days from stage 4 to 5.", days_contact_to_order="Days from first contact to order (R25 [3.7 days]).")
cols("agg_funnel_monthly", cohort_month="First-contact month.", stage_no="Stage number 1-5.", stage="Stage name.", customers="Customers who reached the stage.",
     previous_stage_customers="Customers at the previous stage.", step_conversion="customers / previous_stage_customers (R28: healthy > 12%).",
     overall_conversion="customers / first-contact customers.", median_days_from_previous="Median days from the previous stage.", p90_days_from_previous="p90 days from the previous stage.")
cols("agg_cpa_monthly", month="Local month.", channel="Acquisition channel (whatsapp, web, line, store, facebook, ...).", ad_spend="Ad spend (business currency).",
     message_cost="WhatsApp message fees of the campaign (business currency).", total_cost="ad_spend + message_cost.", billable_messages="Charged messages.",
     clicks="Ad clicks.", impressions="Ad impressions.", leads="Leads created.", acquisitions="New paying customers (first paid order).",
     first_order_revenue="Revenue of those first orders (business currency).", cpa="total_cost / acquisitions.", cost_per_lead="total_cost / leads.")
cols("agg_cohort_retention", cohort_type="first_order | first_contact.", cohort_month="The cohort's month.", months_since="Months since the cohort month (0 = same month).",
     cohort_size="Customers in the cohort.", active_customers="Cohort customers active in that month.", retention_rate="active_customers / cohort_size.",
     is_complete="The month is fully observed.")
cols("fct_rfm", last_order_date="Last paid order (local date).", recency_days="Days since it.", frequency="Paid orders.", monetary="Paid revenue (business currency).",
     r_score="Recency quintile (5 = most recent).", f_score="Frequency quintile.", m_score="Monetary quintile.", rfm_cell="r, f, m scores as a 3-digit string.",
     rfm_segment="champions | loyal | at_risk | hibernating | new | potential_loyalist | need_attention.")
cols("agg_sync_health_daily", sync_day_key="source:date; unique.", load_date="Local date of the loads.", source="webhooks | outbound | campaigns | ad_spend | leads | crm.",
     files="Files (or CRM snapshots) loaded.", lines="Lines / records landed.", loaded_rows="Rows loaded.", quarantined_rows="Rows quarantined (R6).",
     quarantine_reasons="Distinct quarantine reasons.", load_success_rate="loaded_rows / lines (R11).", quarantine_rate="quarantined_rows / lines.",
     median_load_lag_seconds="Webhooks: median landing-to-warehouse lag.", p95_load_lag_seconds="Webhooks: p95 lag.", max_load_lag_seconds="Webhooks: max lag.",
     median_event_lag_seconds="Webhooks: median event-to-receipt lag (R1).", mapping_error_rate="CRM: records with a mapping error (R7 < 2%).",
     phone_failure_rate="CRM: phones that did not normalise (R2).", crm_records="CRM: records read.", last_loaded_at_utc="Last load of the day.",
     freshness_hours="Hours from the last load to the end of the local day (R33).")
cols("fct_duplicate_candidates", candidate_id="md5 of the pair; unique.", **{k: v for k, v in M["int_customers__duplicate_pairs"].items()},
     merged_customer_key="The key both are merged into.")
cols("fct_identity_conflicts", conflict_id="md5 of customer, attribute, source and value; unique.", attribute="full_name | email | country | city | customer_grade_raw.",
     winning_value="The value kept (last modified, ms precision).", winning_source="crm | whatsapp.", winning_source_ref="crm:<record> or whatsapp:<wa_id>.",
     winning_modified_at_utc="When the winning value was modified.", losing_value="The differing value.", losing_source="crm | whatsapp.",
     losing_source_ref="Record of the losing value.", losing_modified_at_utc="When the losing value was modified.", comparison="<losing>_vs_<winning> source.",
     is_tie="Both modified in the same millisecond: review without a winner.")

NN = ["not_null"]; U = ["unique", "not_null"]
def rel(to, field="customer_key"): return {"relationships": {"arguments": {"to": f"ref('{to}')", "field": field}}}
def av(*vals, quote=True):
    a = {"values": list(vals)}
    if not quote: a["quote"] = False
    return {"accepted_values": {"arguments": a}}
def rng(expr): return {"expression_is_true": {"arguments": {"expression": expr}}}
TESTS = {
 "int_conversations__messages": {"message_id": U, "conversation_id": NN, "actor": [*NN, av("customer", "human", "bot", "unknown")]},
 "int_conversations__exchanges": {"exchange_id": U, "conversation_id": [*NN, rel("fct_conversations", "conversation_id")]},
 "int_customers__merged": {"customer_key": U, "merged_customer_key": NN},
 "int_messages__costed": {"message_id": U, "billing": [*NN, av("regular", "service", "free_customer_service", "free_entry_point", "not_delivered")]},
 "fct_conversations": {"conversation_id": U, "customer_key": [*NN, rel("dim_customers")], "status": [*NN, av("open", "resolved", "unanswered")],
                       "resolved_by": [av("human", "bot")], "first_response_seconds": [{"at_least": {"arguments": {"min_value": 0}}}]},
 "fct_message_keywords": {"message_id": [*NN, rel("fct_messages", "message_id")], "topic": [*NN, rel("keyword_topics", "topic")]},
 "fct_agent_daily": {"agent_day_key": U, "agent_id": NN, "activity_date": NN},
 "fct_csat_responses": {"survey_message_id": U, "rating": [av(1, 2, 3, 4, 5, quote=False)]},
 "fct_outbound_funnel": {"message_id": U},
 "agg_activity_heatmap": {"weekday": NN, "hour": NN},
 "fct_customer_segments": {"segment_spell_key": U, "segment": [*NN, av("high_interest", "potential", "engaged", "dormant", "churned")]},
 "fct_unread_messages": {"message_id": U},
 "fct_policy_violations": {"violation_id": U, "violation_kind": [*NN, av("template_without_reply_24h", "same_content_over_5_per_month", "promotion_over_1_per_week", "duplicate_service_notification", "daily_cap_exceeded", "automation_during_human_pause")]},
 "fct_funnel": {"customer_key": U, "stage_reached": [*NN, av(1, 2, 3, 4, 5, quote=False)]},
 "fct_rfm": {"customer_key": U, "r_score": [av(1, 2, 3, 4, 5, quote=False)]},
 "agg_sync_health_daily": {"sync_day_key": U},
 "fct_duplicate_candidates": {"candidate_id": U},
 "fct_identity_conflicts": {"conflict_id": U},
}
MODEL_TESTS = {
 "agg_keyword_daily": [{"unique_combination_of_columns": {"arguments": {"combination_of_columns": ["keyword_date", "topic"]}}}, rng("conversation_share between 0 and 1")],
 "agg_campaign_funnel": [{"unique_combination_of_columns": {"arguments": {"combination_of_columns": ["campaign_id", "template_name"]}}},
                         rng("delivered <= attempted and read <= delivered and replied <= delivered")],
 "agg_funnel_monthly": [{"unique_combination_of_columns": {"arguments": {"combination_of_columns": ["cohort_month", "stage_no"]}}},
                        rng("previous_stage_customers is null or customers <= previous_stage_customers")],
 "agg_cpa_monthly": [{"unique_combination_of_columns": {"arguments": {"combination_of_columns": ["month", "channel", "campaign_id"]}}}],
 "agg_cohort_retention": [{"unique_combination_of_columns": {"arguments": {"combination_of_columns": ["cohort_type", "cohort_month", "months_since"]}}},
                          rng("retention_rate between 0 and 1")],
 "agg_activity_heatmap": [{"unique_combination_of_columns": {"arguments": {"combination_of_columns": ["weekday", "hour"]}}}],
 "agg_delivery_failures_daily": [{"unique_combination_of_columns": {"arguments": {"combination_of_columns": ["failure_date", "error_code", "sender_kind", "template_category"]}}}],
 "fct_message_keywords": [{"unique_combination_of_columns": {"arguments": {"combination_of_columns": ["message_id", "topic"]}}}],
 "int_business_hours__intervals": [rng("closes_at_utc > opens_at_utc")],
 "int_fx_rates": [{"unique_combination_of_columns": {"arguments": {"combination_of_columns": ["currency", "valid_from"]}}}],
 "int_customers__duplicate_pairs": [{"unique_combination_of_columns": {"arguments": {"combination_of_columns": ["customer_key_a", "customer_key_b"]}}},
                                    rng("name_similarity >= 0.8 and customer_key_a < customer_key_b")],
 "fct_conversations": [rng("status <> 'resolved' or resolved_at_utc >= started_at_utc")],
}

def header(sql):
    out = []
    for line in sql.splitlines():
        s = line.strip()
        if s.startswith("--"): out.append(s[2:].strip())
        elif out and s == "": break
        elif out: break
        elif s.startswith("{{") or s.startswith("config") or s.startswith("materialized") or s.startswith("incremental") or s.startswith("unique_key") or s.startswith("on_schema") or s.startswith(")") or s.startswith("}}") or s == "": continue
    return " ".join(x for x in out if x)

columns = {}
for line in open(sys.argv[1]):
    parts = line.split()
    if len(parts) >= 2 and parts[0] in M: columns[parts[0]] = parts[1:]
for model, desc in M.items():
    sqlp = next(ROOT.rglob(model + ".sql"))
    yml = sqlp.with_suffix(".yml")
    existing_unit = {}
    if yml.exists():
        doc = yaml.safe_load(yml.read_text())
        existing_unit = doc["models"][0].get("unit_tests") and {"unit_tests": doc["models"][0]["unit_tests"]} or {}
        if "unit_tests" in doc: existing_unit = {"unit_tests_top": doc["unit_tests"]}
    cl = []
    for c in columns.get(model, []):
        d = desc.get(c) or COMMON.get(c)
        if not d: raise SystemExit(f"no description for {model}.{c}")
        e = {"name": c, "description": d}
        if c in TESTS.get(model, {}): e["data_tests"] = TESTS[model][c]
        cl.append(e)
    m = {"name": model, "description": header(sqlp.read_text()), "columns": cl}
    if model in MODEL_TESTS: m["data_tests"] = MODEL_TESTS[model]
    doc = {"version": 2, "models": [m]}
    if "unit_tests_top" in existing_unit: doc["unit_tests"] = existing_unit["unit_tests_top"]
    yml.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100))
print("ok", len(M))
