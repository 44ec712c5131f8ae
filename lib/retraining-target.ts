/**
 * The shape of one `retrainingPipeline` entry, in its own module: the settings table (config.ts) and the props
 * generated from it (config-props.ts) both name it, and config-props.ts must not import config.ts back.
 */

/** One pipeline that retraining requests start: for one model, or (model null) for every model. */
export interface RetrainingPipelineTarget {
  readonly model: string | null;
  /** The pipeline's name, or its ARN when the context gave one. */
  readonly pipeline: string;
}
