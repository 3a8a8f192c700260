import { silentLogger, type Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import { CompositeReporter } from '../reporters/composite-reporter';
import { LoggingReporter } from '../reporters/logging-reporter';
import { RemoteReporter } from '../reporters/remote-reporter';
import type { Reporter } from '../reporters/reporter';
import { DEFAULT_OTLP_ENDPOINT } from '../otlp/endpoint';
import { loadFileSender, loadHTTPSender, loadOTLPSender } from '../optional-modules';
import type { Sender } from '../senders/sender';
import { DEFAULT_BINARY_PORT, DEFAULT_COMPACT_PORT, DEFAULT_UDP_HOST, UDPSender } from '../senders/udp-sender';
import type { ReporterConfig } from './tracing-config';

/**
 * Where spans go, resolved from jaeger-client's flat reporter config into one shape per
 * transport, so no field's meaning depends on another.
 */
export type ReporterTarget =
  | { kind: 'udp'; protocol: 'compact' | 'binary'; host: string; port: number; socketType?: 'udp4' | 'udp6' }
  | { kind: 'http'; endpoint: string; username?: string; password?: string; authToken?: string; timeoutMs?: number }
  | { kind: 'otlp'; endpoint: string; headers?: Record<string, string> | string; timeoutMs?: number }
  | { kind: 'file'; path: string };

const PROTOCOLS = ['udp-compact', 'udp-binary', 'http', 'otlp', 'file'];

/** Picks the transport: `protocol` if given, else HTTP when `collectorEndpoint` is set, else UDP compact. */
export function resolveReporterTarget(config: ReporterConfig): ReporterTarget {
  const protocol = config.protocol ?? (config.collectorEndpoint ? 'http' : 'udp-compact');
  switch (protocol) {
    case 'udp-compact':
    case 'udp-binary': {
      const binary = protocol === 'udp-binary';
      const socketType = config.agentSocketType;
      if (socketType !== undefined && socketType !== 'udp4' && socketType !== 'udp6') {
        throw new Error(`reporter.agentSocketType must be udp4 or udp6, got ${JSON.stringify(socketType)}`);
      }
      return {
        kind: 'udp',
        protocol: binary ? 'binary' : 'compact',
        host: config.agentHost ?? DEFAULT_UDP_HOST,
        port: config.agentPort ?? (binary ? DEFAULT_BINARY_PORT : DEFAULT_COMPACT_PORT),
        socketType,
      };
    }
    case 'http':
      if (!config.collectorEndpoint) {
        throw new Error('reporter.protocol "http" needs reporter.collectorEndpoint (or JAEGER_ENDPOINT)');
      }
      return {
        kind: 'http',
        endpoint: config.collectorEndpoint,
        username: config.username,
        password: config.password,
        authToken: config.authToken,
        timeoutMs: config.timeoutMs,
      };
    case 'otlp':
      return {
        kind: 'otlp',
        endpoint: config.otlpEndpoint ?? DEFAULT_OTLP_ENDPOINT,
        headers: config.otlpHeaders,
        timeoutMs: config.timeoutMs,
      };
    case 'file':
      if (!config.filePath) throw new Error('reporter.protocol "file" needs reporter.filePath (or JAEGER_REPORTER_FILE_PATH)');
      return { kind: 'file', path: config.filePath };
    default:
      throw new Error(`reporter.protocol must be one of ${PROTOCOLS.join(', ')}, got ${JSON.stringify(protocol)}`);
  }
}

/** UDP is the default; the other senders load only when configured (lazy.ts says why). */
function createSender(target: ReporterTarget, logger: Logger): Sender {
  switch (target.kind) {
    case 'udp':
      return new UDPSender({ host: target.host, port: target.port, protocol: target.protocol, socketType: target.socketType, logger });
    case 'http':
      return new (loadHTTPSender())({ ...target, logger });
    case 'otlp':
      return new (loadOTLPSender())({ endpoint: target.endpoint, headers: target.headers, timeoutMs: target.timeoutMs, logger });
    case 'file':
      return new (loadFileSender())({ path: target.path, logger });
  }
}

/**
 * Builds the reporter `initTracer` uses: a RemoteReporter on the configured sender, plus a
 * Jaeger-UI JSON file copy when `filePath` is set with another protocol, plus a
 * LoggingReporter when `logSpans` is set (to the given logger, else the console).
 */
export function createReporter(config: ReporterConfig, deps: { logger?: Logger; metrics: Metrics }): Reporter {
  const logger = deps.logger ?? silentLogger;
  const target = resolveReporterTarget(config);
  const queued = (sender: Sender): RemoteReporter =>
    new RemoteReporter(sender, {
      maxQueueSize: config.maxQueueSize,
      flushIntervalMs: config.flushIntervalMs,
      logger,
      metrics: deps.metrics,
    });
  const reporters: Reporter[] = [queued(createSender(target, logger))];
  // a file path next to a network protocol keeps a Jaeger-UI JSON copy of what was sent
  if (config.filePath && target.kind !== 'file') reporters.push(queued(createSender({ kind: 'file', path: config.filePath }, logger)));
  if (config.logSpans === true) reporters.push(new LoggingReporter(deps.logger ?? console));
  return reporters.length === 1 ? reporters[0]! : new CompositeReporter(reporters);
}
