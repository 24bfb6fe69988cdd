export { describeBlobStoreContract } from './blob-store-contract';
export { describeKeyValueStoreContract } from './key-value-store-contract';
export { bundledPackages, describeLambdaBundle, lambdaBundlePath } from './lambda-bundle-contract';
export type { LambdaBundleBudget } from './lambda-bundle-contract';
export { lambdaContext } from './lambda-context';
