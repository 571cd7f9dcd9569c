"""Precision / recall of the R8 duplicate candidates against the demo generator's ground truth.
usage: python models/dev/duplicate_metrics.py <home>   (reads <home>/warehouse.duckdb read-only)"""
import json, sys, duckdb, itertools
home = sys.argv[1]
gt = json.load(open(f"{home}/demo/ground-truth.json"))
truth = set()
for cl in gt["duplicate_clusters"]:
    for a, b in itertools.combinations(sorted(cl), 2):
        truth.add((a, b))
con = duckdb.connect(f"{home}/warehouse.duckdb", read_only=True)
rows = con.sql("select crm_contact_key_a, crm_contact_key_b, name_similarity, jaro_winkler_similarity from marts.fct_duplicate_candidates").fetchall()
found = set()
for a, b, *_ in rows:
    ra, rb = a.split(":")[-1], b.split(":")[-1]
    found.add(tuple(sorted((ra, rb))))
# pairs that the rule could see at all: both records have an order with a normalised SKU
eligible = set(r[0] for r in con.sql("""select distinct split_part(o.crm_contact_key, ':', 2) from intermediate.int_orders__current o
  join intermediate.int_order_items__normalized i using (order_key) where i.sku is not null""").fetchall())
tp = len(found & truth)
reachable = {p for p in truth if p[0] in eligible and p[1] in eligible}
print(json.dumps({"true_pairs": len(truth), "found_pairs": len(found), "true_positives": tp,
  "precision": round(tp / len(found), 3) if found else None, "recall": round(tp / len(truth), 3) if truth else None,
  "pairs_where_both_records_bought": len(reachable),
  "recall_within_reachable": round(len(found & reachable) / len(reachable), 3) if reachable else None,
  "false_positives": sorted(found - truth)}, indent=1))
