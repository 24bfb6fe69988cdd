export { ZONES, ZONE_DESCRIPTIONS, HUMAN_READABLE_ZONES } from './zones';
export type { Zone } from './zones';
export { ROLES, HUMAN_ROLES, ROLE_DESCRIPTIONS, isRole } from './roles';
export type { Role, HumanRole } from './roles';
export {
  CLASSIFICATIONS,
  SENSITIVE_CLASSIFICATIONS,
  SEMANTICS,
  GENERALISERS,
  SOURCE_FORMATS,
  ColumnTypeSchema,
  ColumnSpecSchema,
  DatasetSpecSchema,
  defineDataset,
  sensitiveColumns,
} from './dataset-spec';
export type {
  Classification,
  ColumnType,
  Semantic,
  Generaliser,
  SourceFormat,
  ColumnSpec,
  DatasetSpec,
  DatasetSpecInput,
} from './dataset-spec';
export {
  DATASETS,
  DERIVED_DATASETS,
  ALL_DATASETS,
  DATASET_NAMES,
  ALL_DATASET_NAMES,
  isSourceDatasetName,
  isDatasetName,
  getDataset,
  getColumn,
  SENSITIVE_COLUMN_NAMES,
} from './datasets/catalog';
export type { DatasetName, SourceDatasetName } from './datasets/catalog';
export { BUSINESS_DATE_PARTITION, SOURCE_DATASET_PARTITION } from './datasets/partitions';
export {
  LANDING_ENCODINGS,
  MAX_CONTROL_FILE_BYTES,
  ControlFileSchema,
  parseLandingFileName,
  controlFileName,
  dataFileName,
} from './landing/control-file';
export type { LandingEncoding, ControlFile, LandingFileName } from './landing/control-file';
export { DEFAULT_LANDING_CSV_LIMITS, LandingCsvLimitsSchema, LandingCsvLimitsOverrideSchema, landingCsvLimitsFor } from './landing/landing-limits';
export type { LandingCsvLimits } from './landing/landing-limits';
export {
  S3EventRecordSchema,
  S3EventSchema,
  eventBridgeEventSchema,
  ScheduledEventSchema,
  GlueDataQualityResultEventSchema,
  SageMakerTrainingJobStateChangeSchema,
  ApiGatewayJwtAuthorizerSchema,
  ApiGatewayV2RequestSchema,
} from './events/aws-events';
export type {
  S3Event,
  ScheduledEvent,
  GlueDataQualityResultEvent,
  SageMakerTrainingJobStateChange,
  ApiGatewayV2Request,
  ApiGatewayV2Response,
} from './events/aws-events';
export {
  TRAINING_JOB_NAME_MAX_LENGTH,
  MODEL_TRAINING_PARAMETERS,
  trainingJobNamePrefix,
  isPlatformTrainingJob,
  modelTrainingParameterName,
  modelTrainingStateMachineName,
} from './events/training-jobs';
export {
  PLATFORM_EVENT_SOURCE,
  BatchAcceptedSchema,
  BatchQuarantinedSchema,
  LayerPublishedSchema,
  PLATFORM_EVENTS,
} from './events/platform-events';
export type { PlatformEventType, BatchAccepted, BatchQuarantined, LayerPublished } from './events/platform-events';
export { TABLES, TABLE_NAMES, TOPICS, TOPIC_NAMES, SERVING_LOAD_APP } from './stores';
export type { TableName, TopicName } from './stores';
