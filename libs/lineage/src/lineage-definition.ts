import { ZONES } from '@cur/contracts';
import { z } from 'zod';

const Identifier = z.string().regex(/^[a-z][a-z0-9_]*$/);

/**
 * What lineage needs of the pipeline beside the contracts: its definition (`PIPELINE_STEPS`) and the column
 * derivations of its plans, as JSON. `cur lineage definition` writes it for the lineage-emitter Lambda, which may not
 * link libs/pipeline (`access:system`) nor parse SQL; a tools/cli test fails while the committed copy is stale.
 */
export const LineageDefinitionSchema = z
  .object({
    steps: z
      .array(
        z
          .object({
            name: Identifier,
            description: z.string(),
            from: z.enum(ZONES),
            to: z.union([z.enum(ZONES), z.literal('serving-store')]),
            inputs: z.array(Identifier),
            outputs: z.array(Identifier),
            runsAs: z.string(),
            model: z.string().optional(),
          })
          .strict(),
      )
      .min(1),
    columnDerivations: z.array(
      z
        .object({
          step: Identifier,
          output: Identifier,
          column: Identifier,
          upstreams: z.array(z.object({ dataset: Identifier, column: Identifier }).strict()).min(1),
          operation: z.string().regex(/^(COPY|SQL|TAG:[a-z][a-z0-9_]*)$/),
        })
        .strict(),
    ),
  })
  .strict();

/** The pipeline definition and its column derivations, as `cur lineage definition` writes them. */
export type LineageDefinition = z.infer<typeof LineageDefinitionSchema>;
