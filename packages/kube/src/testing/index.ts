export { FakeApiServer } from './fake-api-server.js';
export type { Fault, FakeApiServerOptions, RecordedRequest, RequestMatcher } from './fake-api-server.js';
export { FakeClock, settle } from './fake-clock.js';
