/** An error the user can fix (bad flag, missing folder): printed without a stack, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
