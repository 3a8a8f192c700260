/**
 * `node -r @jt/auto app.js` (or `node --import @jt/auto app.mjs`): loading this module
 * starts tracing the whole process. `start()` is idempotent and returns the handle.
 */
import { start } from './start';

export { start, type AutoHandle } from './start';
export { selectIntegrations, INTEGRATIONS, type IntegrationEntry } from './integrations';
export { guessServiceName } from './service-name';

start();
