export { describeBlobStoreContract } from './blob-store-contract';
export { describeKeyValueStoreContract } from './key-value-store-contract';
