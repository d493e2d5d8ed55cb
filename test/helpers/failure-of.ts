/**
 * The error `work` rejects with; a test that expected a failure fails when there is none.
 *
 * @example expect((await failureOf(engine.query("SELECT 1"))).message).toMatch(/deadline/);
 */
export async function failureOf(work: Promise<unknown>): Promise<Error> {
  try {
    await work;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a failure");
}
