export { describeBlobStoreContract } from './blob-store-contract';
export { describeKeyValueStoreContract } from './key-value-store-contract';
export { describeLambdaBundle, lambdaBundlePath } from './lambda-bundle-contract';
