/**
 * Flat-array evaluation of the forest's trees, used for out-of-bag votes during training and as
 * an optional fast scorer. It applies ml-cart's `classify` rule (x < splitValue goes left; a node
 * is a leaf unless it has both children) and ml-matrix's `maxRowIndex` (first maximum) to the
 * same JSON, so its votes equal `predictionValues()` (checked in tests).
 */
import type { RandomForestClassifierJSON, TreeNodeJSON } from "./types.ts";

export interface CompiledTree {
  /** Original feature index per node (already mapped through the tree's `indexes`). */
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  /** Voted class per node; -1 for internal nodes. */
  vote: Int32Array;
}

function argmaxFirst(row: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

export function compileTree(root: TreeNodeJSON, indexes: readonly number[]): CompiledTree {
  const nodes: TreeNodeJSON[] = [];
  const stack: TreeNodeJSON[] = [root];
  const id = new Map<TreeNodeJSON, number>();
  while (stack.length > 0) {
    const node = stack.pop()!;
    id.set(node, nodes.length);
    nodes.push(node);
    if (node.left && node.right) stack.push(node.right, node.left);
  }
  const m = nodes.length;
  const tree: CompiledTree = {
    feature: new Int32Array(m),
    threshold: new Float64Array(m),
    left: new Int32Array(m).fill(-1),
    right: new Int32Array(m).fill(-1),
    vote: new Int32Array(m).fill(-1),
  };
  nodes.forEach((node, i) => {
    if (node.left && node.right) {
      tree.feature[i] = indexes[node.splitColumn!]!;
      tree.threshold[i] = node.splitValue!;
      tree.left[i] = id.get(node.left)!;
      tree.right[i] = id.get(node.right)!;
    } else {
      tree.vote[i] = argmaxFirst(node.distribution![0]!);
    }
  });
  return tree;
}

export function compileForest(json: RandomForestClassifierJSON): CompiledTree[] {
  const { estimators, indexes } = json.baseModel;
  return estimators.map((est, i) => compileTree(est.root, indexes[i]!));
}

/** Class voted by one tree for row r of a columnar matrix. */
export function treeVote(tree: CompiledTree, columns: ReadonlyArray<ArrayLike<number>>, r: number): number {
  let node = 0;
  while (tree.vote[node] === -1) {
    node = columns[tree.feature[node]!]![r]! < tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
  }
  return tree.vote[node]!;
}
