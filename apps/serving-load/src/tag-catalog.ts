import { z } from 'zod';
import type { TagCatalogEntry } from '@cur/serving';
import catalog from './tag-catalog.json' with { type: 'json' };

/** Where the committed catalog lives, for the test that keeps it equal to libs/pipeline's `TAG_DEFINITIONS`. */
export const TAG_CATALOG_FILE = 'apps/serving-load/src/tag-catalog.json';

const TagCatalogSchema = z.array(z.object({ name: z.string().regex(/^[a-z][a-z0-9_]*$/), description: z.string().min(1), owner: z.string().min(1) }).strict());

/**
 * The rule-based tags' names, descriptions and owners for `GET /v1/tags`: what `cur run` passes the load from
 * libs/pipeline's `TAG_DEFINITIONS`, committed as JSON because this masked service may not import the pipeline (an
 * `access:system` lib). A tools/cli test fails while it differs from the definitions.
 */
export const TAG_CATALOG: readonly TagCatalogEntry[] = TagCatalogSchema.parse(catalog);
