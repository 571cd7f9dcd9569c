/**
 * Impurity feature importance computed from the JSON (ml-random-forest's formula: per node
 * gain*samples minus the children's, normalised per tree, averaged over trees through each tree's
 * column map). The library's own `featureImportance()` needs fields that `load()` drops
 * (numberSamples, numberFeatures), so after loading it cannot be used; this can.
 */
import type { RandomForestClassifierJSON, TreeNodeJSON } from "./types.ts";

export function featureImportance(json: RandomForestClassifierJSON, nFeatures: number): number[] {
  const { estimators, indexes } = json.baseModel;
  const avg = new Array<number>(nFeatures).fill(0);
  estimators.forEach((est, t) => {
    const local = new Array<number>(indexes[t]!.length).fill(0);
    const visit = (node: TreeNodeJSON | undefined): void => {
      if (!node || node.splitColumn === undefined || !((node.gain ?? 0) > 0)) return;
      let f = node.gain! * node.numberSamples!;
      if (node.left) f -= (node.left.gain || 0) * (node.left.numberSamples || 0);
      if (node.right) f -= (node.right.gain || 0) * (node.right.numberSamples || 0);
      local[node.splitColumn] = local[node.splitColumn]! + f;
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
