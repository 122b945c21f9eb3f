/** Shared by the extension tests: which rule an extension refused a message for. */
import { ExtensionError } from '../../src/extensions/extension.js';

/** The `reason` of the ExtensionError `fn` throws, or undefined when it throws none; any other error is thrown on. */
export function reason(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof ExtensionError) return error.reason;
    throw error;
  }
  return undefined;
}
