'use strict';
/**
 * Control, not a tracer: preloaded after `@jt/auto` (100% sampled), it cuts jt's reporter off
 * at its entrance: spans are started, tagged and finished exactly as in `jt` mode, then
 * counted and let go, never queued, encoded or sent. `jt` minus this mode is what exporting
 * costs; this mode minus `jt-unsampled` is what making the spans costs.
 */
const { RemoteReporter } = require('@jt/core');

let discarded = 0;
RemoteReporter.prototype.report = function discard() {
  discarded++;
};
process.on('exit', () => {
  if (discarded === 0) process.stderr.write('jt-no-export: no span reached the reporter\n');
});
