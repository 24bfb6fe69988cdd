/** The moto server helper lives in `@cur/adapters-aws/testing`, so other projects' tests start it the same way. */
export { startMotoServer, motoDateCompatibleHandler, type MotoServer } from '../../src/testing/moto-server';
