/**
 * @module pipeline/config-api — the one place the pipeline reaches into the config layer
 * (src/config), so its functions are imported from a single module.
 */
export { loadConfig, loadConfigFromText } from '../config/load.js';
export { selectVirtualHost, dirConfigFor, cachedDirConfig, locationConfigFor } from '../config/resolve.js';
export { handlersFor, resolveEntryDirectory } from '../config/handlers.js';
export { selectInterpreterName } from '../config/interpreter.js';
export { configToJSON } from '../config/json.js';
