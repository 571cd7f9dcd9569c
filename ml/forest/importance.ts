/**
 * Impurity feature importance (mean decrease in Gini impurity) computed from the JSON: per tree,
 * each split node adds gain x numberSamples (ml-cart's gain is the parent's impurity minus the
 * children's weighted impurity, so this is the node's total impurity decrease) to its column; the
 * tree's vector is normalised to 1 and mapped through the tree's column list, then trees are
 * averaged.
 *
 * Not ml-random-forest's `featureImportance()` formula, which credits a split with its gain x
 * samples minus its children's: a child where no split exists (a pure node) carries gain
 * -Infinity and no numberSamples, so the subtraction is -Infinity x 0 = NaN and the whole tree
 * drops out. Deep churn trees always have such nodes, and every importance came out 0. The
 * library's method also cannot run after `load()`, which drops numberSamples.
 */
import type { RandomForestClassifierJSON, TreeNodeJSON } from "./types.ts";

export function featureImportance(json: RandomForestClassifierJSON, nFeatures: number): number[] {
  const { estimators, indexes } = json.baseModel;
  const avg = new Array<number>(nFeatures).fill(0);
  estimators.forEach((est, t) => {
    const local = new Array<number>(indexes[t]!.length).fill(0);
    const visit = (node: TreeNodeJSON | undefined): void => {
      if (!node?.left || !node.right || node.splitColumn === undefined) return;
      const decrease = (node.gain ?? 0) * (node.numberSamples ?? 0);
      if (decrease > 0) local[node.splitColumn] = local[node.splitColumn]! + decrease;
      visit(node.left);
      visit(node.right);
    };
    visit(est.root);
    const s = local.reduce((a, b) => a + b, 0);
    if (s > 0) local.forEach((v, j) => (avg[indexes[t]![j]!] = avg[indexes[t]![j]!]! + v / s));
  });
  const total = avg.reduce((a, b) => a + b, 0);
  return total > 0 ? avg.map((v) => v / total) : avg;
}
