import assert from 'node:assert/strict';
import { configFromEnv } from '../../src/config/env-config';

describe('configFromEnv', () => {
  it('reads jaeger-client variables, deprecated aliases and jt additions', () => {
    const { config, options } = configFromEnv({}, {}, {
      JAEGER_SERVICE_NAME: 'orders',
      JAEGER_DISABLE: 'false',
      JAEGER_SAMPLER_TYPE: 'probabilistic',
      JAEGER_SAMPLER_PARAM: '0.25',
      JAEGER_REPORTER_AGENT_HOST: 'agent.local',
      JAEGER_AGENT_PORT: '6832',
      JAEGER_REPORTER_LOG_SPANS: 'true',
      JAEGER_REPORTER_FLUSH_INTERVAL: '250',
      JAEGER_REPORTER_MAX_QUEUE_SIZE: '50',
      JAEGER_AUTH_TOKEN: 'tok',
      JAEGER_TAGS: 'team=core',
      JAEGER_PROPAGATION: 'b3,w3c',
      JAEGER_TRACEID_128BIT: 'false',
    });
    assert.equal(config.serviceName, 'orders');
    assert.equal(config.disable, false);
    assert.deepEqual(config.sampler, { type: 'probabilistic', param: '0.25' });
    assert.equal(config.reporter?.agentHost, 'agent.local');
    assert.equal(config.reporter?.agentPort, 6832);
    assert.equal(config.reporter?.logSpans, true);
    assert.equal(config.reporter?.flushIntervalMs, 250);
    assert.equal(config.reporter?.maxQueueSize, 50);
    assert.equal(config.reporter?.authToken, 'tok');
    assert.deepEqual(options.tags, { team: 'core' });
    assert.deepEqual(options.propagation, ['b3', 'w3c']);
    assert.equal(options.traceId128bit, false);
  });

  it('lets config given in code win over the environment', () => {
    const { config, options } = configFromEnv(
      { serviceName: 'from-code', sampler: { type: 'const', param: 1 }, reporter: { agentPort: 7000 } },
      { tags: { team: 'code' } },
      {
        JAEGER_SERVICE_NAME: 'from-env',
        JAEGER_SAMPLER_TYPE: 'probabilistic',
        JAEGER_AGENT_PORT: '6832',
        JAEGER_AGENT_HOST: 'env-host',
        JAEGER_TAGS: 'team=env,zone=z',
      },
    );
    assert.equal(config.serviceName, 'from-code');
    assert.equal((config.sampler as { type: string }).type, 'const');
    assert.equal(config.reporter?.agentPort, 7000);
    assert.equal(config.reporter?.agentHost, 'env-host');
    assert.deepEqual(options.tags, { team: 'code', zone: 'z' });
  });

  it('falls back to OTEL_SERVICE_NAME and builds the OTLP traces URL from OTEL_EXPORTER_OTLP_ENDPOINT', () => {
    const { config } = configFromEnv({}, {}, {
      OTEL_SERVICE_NAME: 'otel-named',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
      OTEL_EXPORTER_OTLP_HEADERS: 'api-key=abc',
      JAEGER_REPORTER_PROTOCOL: 'otlp',
    });
    assert.equal(config.serviceName, 'otel-named');
    assert.equal(config.reporter?.otlpEndpoint, 'http://collector:4318/v1/traces');
    assert.equal(config.reporter?.otlpHeaders, 'api-key=abc');
    assert.equal(config.reporter?.protocol, 'otlp');
  });

  it('rejects unparseable values with the variable named', () => {
    assert.throws(() => configFromEnv({}, {}, { JAEGER_REPORTER_PROTOCOL: 'carrier-pigeon' }), /JAEGER_REPORTER_PROTOCOL/);
    assert.throws(() => configFromEnv({}, {}, { JAEGER_PROPAGATION: 'jaeger,zipkin' }), /JAEGER_PROPAGATION: unknown propagation format "zipkin"/);
    assert.throws(() => configFromEnv({}, {}, { JAEGER_REPORTER_FLUSH_INTERVAL: 'soon' }), /JAEGER_REPORTER_FLUSH_INTERVAL/);
    assert.throws(() => configFromEnv({}, {}, { JAEGER_AGENT_SOCKET_TYPE: 'udp5' }), /JAEGER_AGENT_SOCKET_TYPE="udp5" is not udp4 or udp6/);
  });
});
