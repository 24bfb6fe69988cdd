import type { z } from 'zod';
import type { Role } from '@cur/contracts';
import {
  BatchGetBodySchema,
  BatchGetResponseSchema,
  CustomerPathSchema,
  CustomerSchema,
  LookupBodySchema,
  NoQuerySchema,
  RevealQuerySchema,
  SegmentMetricsQuerySchema,
  SegmentMetricsResponseSchema,
  SegmentPathSchema,
  TagCustomersQuerySchema,
  TagCustomersResponseSchema,
  TagPathSchema,
  TagsResponseSchema,
} from './schemas';

/** Who may read customer-level data: applications, data scientists, and the platform itself. */
const CUSTOMER_READERS: readonly Role[] = ['AP', 'DS', 'SYSTEM'];

/**
 * One route of the retrieval API: how it is matched, who may call it, what it takes and returns. The handler routes
 * with this table and the OpenAPI document is generated from it, so they always agree.
 */
export interface RouteSpec {
  readonly id: 'getCustomerTags' | 'lookupCustomer' | 'batchGetCustomers' | 'listTags' | 'listTagCustomers' | 'getSegmentMetrics' | 'getOpenApi';
  readonly method: 'GET' | 'POST';
  /** The path in OpenAPI's template syntax. */
  readonly path: string;
  readonly summary: string;
  readonly description: string;
  /** Roles allowed to call it; `public` needs no token (the OpenAPI document). */
  readonly access: readonly Role[] | 'public';
  readonly pathParams?: z.ZodObject;
  readonly query: z.ZodObject;
  readonly body?: z.ZodType;
  /** The success (200) body; undefined for the OpenAPI document itself. */
  readonly response?: z.ZodType;
  /** Problem statuses this route answers besides 401/403/500. */
  readonly problems: readonly number[];
}

/** The routes, in the order the OpenAPI document lists them. */
export const ROUTES: readonly RouteSpec[] = [
  {
    id: 'getCustomerTags',
    method: 'GET',
    path: '/v1/customers/{token}/tags',
    summary: "A customer's tags, segment, key features and as-of date, by customer token",
    description: 'By masked customer token only, never by a plaintext ID in a URL. Each column is shaped by the masking policy for the caller\'s role.',
    access: CUSTOMER_READERS,
    pathParams: CustomerPathSchema,
    query: RevealQuerySchema,
    response: CustomerSchema,
    problems: [400, 404, 502, 503],
  },
  {
    id: 'lookupCustomer',
    method: 'POST',
    path: '/v1/customers/lookup',
    summary: "A customer's tags by the national ID an application has from its own user",
    description: 'One ID a call. The ID is tokenized by the masking-key-service with the caller\'s own token, audited and rate-limited per caller (429 with Retry-After past the rate); it is never logged, stored or echoed.',
    access: ['AP', 'SYSTEM'],
    query: NoQuerySchema,
    body: LookupBodySchema,
    response: CustomerSchema,
    problems: [400, 404, 413, 429, 502, 503],
  },
  {
    id: 'batchGetCustomers',
    method: 'POST',
    path: '/v1/customers:batchGet',
    summary: 'Up to 100 customers by token, all from the same served version',
    description: 'Duplicate tokens are answered once; tokens without a customer are listed in notFound.',
    access: CUSTOMER_READERS,
    query: RevealQuerySchema,
    body: BatchGetBodySchema,
    response: BatchGetResponseSchema,
    problems: [400, 413, 502, 503],
  },
  {
    id: 'listTags',
    method: 'GET',
    path: '/v1/tags',
    summary: 'The tags of the served version, with customer counts',
    description: 'Aggregate counts only: every role may read them.',
    access: ['DE', 'DA', 'DS', 'DM', 'AP', 'SYSTEM'],
    query: NoQuerySchema,
    response: TagsResponseSchema,
    problems: [400, 503],
  },
  {
    id: 'listTagCustomers',
    method: 'GET',
    path: '/v1/tags/{name}/customers',
    summary: 'The tokens of the customers carrying a tag, a page at a time',
    description: 'Token order; a cursor stays on the version it started on, and expires (410) once that version is pruned.',
    access: CUSTOMER_READERS,
    pathParams: TagPathSchema,
    query: TagCustomersQuerySchema,
    response: TagCustomersResponseSchema,
    problems: [400, 404, 410, 502, 503],
  },
  {
    id: 'getSegmentMetrics',
    method: 'GET',
    path: '/v1/segments/{id}/metrics',
    summary: "A segment's monthly metrics from the data mart",
    description: 'Customers, averages and month-over-month change; the latest served month unless ?month= names one.',
    access: ['DA', 'DS', 'AP', 'SYSTEM'],
    pathParams: SegmentPathSchema,
    query: SegmentMetricsQuerySchema,
    response: SegmentMetricsResponseSchema,
    problems: [400, 404, 503],
  },
  {
    id: 'getOpenApi',
    method: 'GET',
    path: '/openapi.json',
    summary: 'This document',
    description: 'The OpenAPI 3.1 document of the retrieval API, generated from the schemas the handler validates with.',
    access: 'public',
    query: NoQuerySchema,
    problems: [],
  },
];
