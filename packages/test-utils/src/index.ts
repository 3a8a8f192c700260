/**
 * Helpers shared by the tests of every jt package (private, never published): in-memory
 * tracers, loopback HTTP, span lookups, fresh loads of the libraries under test, and the
 * scenarios every server framework integration must pass.
 */
export { tagsOf, logFieldsOf, errorLogsOf, errorFields, logEvents, serverSpans, byName, everythingRecorded } from './spans';
export { waitFor, delay } from './wait';
export { listen, close, closedPort, request, get, type Reply, type RequestOptions } from './http';
export { useTracer, newTracer, spanAround } from './tracer';
export { tracedRequest, TRACE, PARENT, INBOUND_FORMATS, type SpanCollector } from './server';
export { requireFresh, type VersionUnderTest } from './modules';
export {
  serverFrameworkScenarios,
  routeNamingScenarios,
  errorRecordingScenarios,
  inboundContextScenarios,
  tracedHandlerScenario,
  expectServerSpanActive,
  SPLIT_BODY,
  postInPieces,
  type ServerHarness,
  type RouteNames,
  type FailureCase,
  type Traced,
} from './server-scenarios';
export { serveListener, appsPerTest, instrumentationsPerTest, tracingPerTest, type RunningApp, type TestTracing } from './apps';
export {
  describeAutoModes,
  describeExplicitAlone,
  sameAnswersUntracedScenario,
  expectOptionsHonoured,
  THROWING_HOOKS,
  expectThrowingHooksHarmless,
  expectLaterIgnoreDrops,
  expectUntraced,
  type FrameworkUnderTest,
  type OptionsProbe,
} from './framework-suites';
