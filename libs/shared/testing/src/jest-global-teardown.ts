export default function teardown(): void {
  globalThis.__throwawayPostgres?.stop();
}
