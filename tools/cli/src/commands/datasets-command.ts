import type { Command } from 'commander';
import { ALL_DATASET_NAMES, DATASETS, DATASET_NAMES, getDataset } from '@cur/contracts';
import type { CliContext } from '../cli-context';
import { UsageError } from '../process/usage-error';
import { renderTable } from '../output/render-table';

/** `cur datasets [name]`: the declared datasets, or one dataset's columns with their classification. */
export function registerDatasetsCommand(program: Command, context: () => CliContext): void {
  program
    .command('datasets')
    .description('list the declared datasets, or show one dataset\'s columns and how each is classified')
    .argument('[name]', 'a dataset name, e.g. customer_profile')
    .option('--json', 'print the declaration as JSON')
    .action((name: string | undefined, options: { json?: boolean }) => {
      const { output } = context();
      if (name === undefined) {
        if (options.json) return output.line(JSON.stringify(Object.values(DATASETS), null, 2));
        const rows = DATASET_NAMES.map((datasetName) => {
          const dataset = DATASETS[datasetName];
          const sensitive = dataset.columns.filter((column) => column.classification !== 'public').length;
          return [dataset.name, String(dataset.columns.length), String(sensitive), dataset.primaryKey.join(', '), dataset.description];
        });
        output.line(renderTable(['dataset', 'columns', 'sensitive', 'key', 'description'], rows));
        output.info('\nShow one: cur datasets customer_profile');
        return;
      }
      if (!(ALL_DATASET_NAMES as readonly string[]).includes(name)) throw new UsageError(`unknown dataset '${name}'; known datasets: ${ALL_DATASET_NAMES.join(', ')}`);
      const dataset = getDataset(name);
      if (options.json) return output.line(JSON.stringify(dataset, null, 2));
      output.line(`${dataset.name} (schema v${dataset.schemaVersion}, owner ${dataset.owner}): ${dataset.description}`);
      output.line(`key: ${dataset.primaryKey.join(', ')}; partitioned by: ${dataset.partitionColumns.map((c) => c.name).join(', ') || 'nothing'}`);
      output.line();
      output.line(
        renderTable(
          ['column', 'type', 'null', 'class', 'kind', 'description'],
          dataset.columns.map((column) => [
            column.name,
            column.type,
            column.nullable ? 'yes' : 'no',
            column.classification,
            column.semantic ?? column.generaliser ?? '',
            column.description,
          ]),
        ),
      );
    });
}
