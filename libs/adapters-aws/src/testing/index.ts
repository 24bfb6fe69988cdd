export { startMotoServer, motoDateCompatibleHandler } from './moto-server';
export type { MotoServer } from './moto-server';
export { deployTrainingWorkflowStandIn, destroyTrainingWorkflowClients, trainingWorkflowClientsOn } from './training-workflow-stand-in';
export type { StandInOutcome, TrainingWorkflowStandInOptions } from './training-workflow-stand-in';
