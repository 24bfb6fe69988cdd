import { z } from 'zod';
import { eventBridgeEventSchema } from '@cur/contracts';

/** Any EventBridge event, as the handlers' schemas see it. */
export const EventBridgeEventSchema = eventBridgeEventSchema(undefined, undefined, z.looseObject({}));
