export { trainForest, TrainedForest, featuresPerTree, type ForestOptions } from "./forest.ts";
export { featureImportance } from "./importance.ts";
export { compileForest, type CompiledTree } from "./compiled.ts";
export { binFeature, type BinnedFeature } from "./binning.ts";
export type * from "./types.ts";
