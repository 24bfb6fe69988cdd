/** A JSON value, as an aspect holds it. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * One metadata change proposal in DataHub's file format (what `datahub ingest` reads with the `file` source and
 * what the REST endpoint `/aspects?action=ingestProposal` takes): the aspect as plain JSON under `aspect.json`.
 */
export interface MetadataChangeProposal {
  readonly entityType: 'dataset' | 'container' | 'dataFlow' | 'dataJob' | 'dataProcessInstance' | 'glossaryTerm' | 'tag' | 'assertion';
  readonly entityUrn: string;
  readonly changeType: 'UPSERT';
  readonly aspectName: string;
  readonly aspect: { readonly json: { readonly [key: string]: JsonValue } };
}
