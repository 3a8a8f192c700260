import assert from 'node:assert/strict';
import { envBool, envInt, envString, parseTagList } from '../../src/config/env-parse';

describe('env-parse', () => {
  it('parses booleans as people write them and names the variable on garbage', () => {
    for (const v of ['true', 'TRUE', '1', 'yes', 'on']) assert.equal(envBool({ X: v }, 'X'), true, v);
    for (const v of ['false', 'False', '0', 'no', 'off']) assert.equal(envBool({ X: v }, 'X'), false, v);
    assert.equal(envBool({}, 'X'), undefined);
    assert.throws(() => envBool({ JAEGER_DISABLED: 'maybe' }, 'JAEGER_DISABLED'), /JAEGER_DISABLED="maybe" is not a boolean/);
  });

  it('reads the first set name, so deprecated aliases work but the new name wins', () => {
    assert.equal(envString({ OLD: 'a' }, 'NEW', 'OLD'), 'a');
    assert.equal(envString({ OLD: 'a', NEW: 'b' }, 'NEW', 'OLD'), 'b');
    assert.equal(envString({ NEW: '  ' }, 'NEW'), undefined);
  });

  it('parses integers strictly', () => {
    assert.equal(envInt({ P: '6832' }, 'P'), 6832);
    assert.throws(() => envInt({ JAEGER_AGENT_PORT: '68x' }, 'JAEGER_AGENT_PORT'), /JAEGER_AGENT_PORT="68x"/);
  });

  it('parses JAEGER_TAGS with ${VAR:default} references', () => {
    const env = { POD: 'pod-7' };
    assert.deepEqual(parseTagList('team=core, pod=${POD}, zone=${ZONE:eu-1}, empty=${NOPE}', env), {
      team: 'core',
      pod: 'pod-7',
      zone: 'eu-1',
      empty: '',
    });
    assert.throws(() => parseTagList('novalue', env), /JAEGER_TAGS: "novalue" is not key=value/);
  });
});
