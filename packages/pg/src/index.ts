export { instrumentPg, uninstrumentPg, type PgModuleLike } from './instrument';
export { pgInstrumentation, SUPPORTED_PG_VERSIONS } from './instrumentation';
export { DEFAULT_MAX_STATEMENT_LENGTH, type PgInstrumentationOptions } from './options';
export { sanitizeSql, sqlVerb } from './sql-sanitize';
