/**
 * Writes libs/model-training/channel-template.json: the training channel's description as the AWS launcher (infra's
 * model-training workflow) stages it, generated from the contracts by the code `cur model train` uses.
 */
import { writeFileSync } from 'node:fs';
import { TRAINING_CHANNEL_TEMPLATE_FILE, awsTrainingChannelTemplate } from '../src/model-training-channel';

writeFileSync(TRAINING_CHANNEL_TEMPLATE_FILE, `${JSON.stringify(awsTrainingChannelTemplate(), null, 2)}\n`);
process.stdout.write(`wrote ${TRAINING_CHANNEL_TEMPLATE_FILE}\n`);
