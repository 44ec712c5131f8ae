/**
 * Area under the ROC curve for binary labels and real-valued scores.
 *
 * AUC = (R₊ − n₊(n₊+1)/2) / (n₊ · n₋), the Mann–Whitney form, with R₊ the sum of the positives' ranks among
 * all scores and tied scores given their average rank — identical to the trapezoidal area under the ROC
 * curve that `sklearn.metrics.roc_auc_score(labels, scores)` computes (ties count one half).
 * Cost: O(n log n) for the sort.
 *
 * @throws {ValidationError} when the inputs differ in length, a label is not 0/1, a score is NaN, or only one
 *   class is present (AUC is undefined, as scikit-learn raises).
 * @example
 * rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // → 0.75
 */
import { ValidationError } from "../errors.js";

export function rocAuc(labels01: ArrayLike<number>, scores: ArrayLike<number>): number {
  const n = labels01.length;
  if (n !== scores.length) throw new ValidationError("rocAuc requires labels and scores of equal length");
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const label = labels01[i];
    if (label !== 0 && label !== 1) throw new ValidationError("rocAuc requires labels that are 0 or 1");
    if (Number.isNaN(scores[i])) throw new ValidationError("rocAuc requires scores without NaN");
    positives += label;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) {
    throw new ValidationError("rocAuc requires both classes to be present");
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => scores[a] - scores[b]);
  let rankSum = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    const averageRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (labels01[order[k]] === 1) rankSum += averageRank;
    i = j + 1;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
