import { fileURLToPath } from 'node:url';
import { getDataset, type DatasetName } from '@cur/contracts';
import { TAG_DEFINITIONS } from '@cur/pipeline';
import { createMaskingPolicy } from '@cur/policy';

/** The role whose view of the data the model is trained on, and the one that may train. */
export const TRAINING_ROLE = 'DS';

/** The dataset whose rows are the customers and whose columns are the candidate features. */
export const FEATURES_DATASET: DatasetName = 'customer_features';

/** The dataset whose rule-based tags are the labels. */
export const LABELS_DATASET: DatasetName = 'customer_tags';

/**
 * The channel description template the AWS launcher (infra's model-training workflow) fills in: `dataset.json` less
 * its business date and lineage, with each table's files as its folder in the channel. Generated from the same
 * {@link trainingChannelTemplate} `cur model train` writes, by `npx tsx tools/cli/scripts/write-training-channel-template.ts`.
 */
export const TRAINING_CHANNEL_TEMPLATE_FILE = fileURLToPath(new URL('../../../libs/model-training/channel-template.json', import.meta.url));

/** One table of the channel as `cur_model.dataset.TableSpec` reads it. */
export interface ChannelTable {
  readonly dataset: string;
  readonly key: readonly string[];
  readonly columns: readonly { name: string; type: string; classification: string }[];
  /** Files relative to the channel; an entry ending in `/` is a folder whose every file is read. */
  readonly files: readonly string[];
}

/** `dataset.json` without what only a run knows (the business date and the manifests read). */
export interface ChannelTemplate {
  readonly format: 1;
  readonly role: string;
  readonly features: ChannelTable;
  readonly labels: ChannelTable;
  readonly tags: readonly { name: string; reads: readonly string[] }[];
}

/** The columns of a dataset that the training role sees (the masking policy's view), in contract order. */
export function trainingColumns(dataset: DatasetName): ChannelTable['columns'] {
  const visible = new Set(createMaskingPolicy().viewOf(TRAINING_ROLE, dataset).map((entry) => entry.column.name));
  return getDataset(dataset)
    .columns.filter((column) => visible.has(column.name))
    .map((column) => ({ name: column.name, type: column.type, classification: column.classification }));
}

/**
 * The channel's description from the contracts: the DS view's columns of the features and labels, their keys, each
 * rule-based tag with the feature columns its predicate reads (the training job leaves those out of a target's
 * features), and where each table's files are.
 */
export function trainingChannelTemplate(files: { readonly features: readonly string[]; readonly labels: readonly string[] }): ChannelTemplate {
  const table = (dataset: DatasetName, tableFiles: readonly string[]): ChannelTable => ({
    dataset,
    key: getDataset(dataset).primaryKey,
    columns: trainingColumns(dataset),
    files: tableFiles,
  });
  const featureColumns = getDataset(FEATURES_DATASET).columns.map((c) => c.name);
  return {
    format: 1,
    role: TRAINING_ROLE,
    features: table(FEATURES_DATASET, files.features),
    labels: table(LABELS_DATASET, files.labels),
    tags: TAG_DEFINITIONS.map((tag) => ({ name: tag.name, reads: featureColumns.filter((column) => new RegExp(`\\b${column}\\b`).test(tag.predicate)) })),
  };
}

/** The template as the AWS launcher stages the channel: Athena UNLOAD writes each table into its own folder. */
export function awsTrainingChannelTemplate(): ChannelTemplate {
  return trainingChannelTemplate({ features: ['features/'], labels: ['labels/'] });
}
