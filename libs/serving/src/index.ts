export {
  MAX_BATCH_TOKENS,
  MAX_PAGE_LENGTH,
  DEFAULT_PAGE_LENGTH,
  MAX_BODY_BYTES,
  LOAD_LEASE_MS,
  DEFAULT_POINTER_TTL_MS,
  CUSTOMER_TOKEN_PATTERN,
  CUSTOMER_TOKEN_COLUMN,
} from './constants';
export { SERVING_ERROR_CODES, SERVING_STATUS_BY_CODE, ServingError } from './serving-error';
export type { ServingErrorCode } from './serving-error';
export type { CustomerRecord, SegmentMetricsRecord, ServingVersion, TagCatalogEntry, TagMembersPage, TagSummary } from './types/serving-types';
export { SERVING_KEYS, CUSTOMER_SLOTS, TAG_PAGE_SIZE } from './store/serving-keys';
export { ServingStore, DEFAULT_CACHE_ENTRIES } from './store/serving-store';
export type { ServingStoreOptions } from './store/serving-store';
export { loadServingStore } from './store/load-serving-store';
export type { ServingLoadDependencies, ServingLoadOptions, ServingLoadProgress, ServingLoadResult } from './store/load-serving-store';
export { pruneServingVersions } from './store/prune-versions';
export type { PruneOptions } from './store/prune-versions';
export { manifestKey as publishedManifestKey } from '@cur/lake';
export type { KeyServiceCaller } from './ports/key-service-caller';
export type { CustomerLookup, CustomerTokenizer } from './ports/customer-tokenizer';
export type { Detokenizer } from './ports/detokenizer';
export { HttpKeyServiceClient } from './key-service/http-key-service-client';
export type { HttpKeyServiceClientOptions } from './key-service/http-key-service-client';
export { createRetrievalApiHandler } from './api/retrieval-handler';
export type { RetrievalApiDependencies, RetrievalApiHandlerOptions, ServingReader } from './api/retrieval-handler';
export { ROUTES } from './api/routes';
export { RETRIEVAL_API_PATHS, createRetrievalRouter } from './api/retrieval-router';
export type { RetrievalRouteHandler } from './api/retrieval-router';
export type { RouteSpec } from './api/routes';
export { buildOpenApiDocument, RETRIEVAL_API_VERSION } from './api/openapi';
export { ResponseShaper, REDACTED_VALUE } from './api/response-shaper';
export { isValidNationalId } from './api/national-id';
export {
  CustomerTokenSchema,
  LookupBodySchema,
  BatchGetBodySchema,
  CustomerSchema,
  BatchGetResponseSchema,
  TagsResponseSchema,
  TagCustomersResponseSchema,
  SegmentMetricsResponseSchema,
  ProblemSchema,
} from './api/schemas';
export type { CustomerResponse } from './api/schemas';
