export { publishServingFixture, fixtureCustomers } from './serving-fixture';
export type { FixtureCustomer, FixtureDay, FixtureSegmentMetrics, FixtureTarget } from './serving-fixture';
export { FakeKeyService } from './fake-key-service';
export type { FakeKeyServiceCall } from './fake-key-service';
