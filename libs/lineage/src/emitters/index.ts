export { DataHubRestEmitter } from './datahub-rest-emitter';
export type { DataHubRestEmitterOptions } from './datahub-rest-emitter';
