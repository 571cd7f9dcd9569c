// pg-cursor ships no types; kysely's PostgresDialect only needs the constructor.
declare module "pg-cursor" {
  const Cursor: new (...args: unknown[]) => unknown;
  export default Cursor;
}
