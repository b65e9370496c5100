/**
 * The few platform globals shared/ may use: both Node 24 and every browser provide them.
 * Declared here because shared/ is checked without the DOM and Node libraries, so nothing else leaks in.
 */
declare global {
  var crypto: {
    getRandomValues<T extends ArrayBufferView>(array: T): T;
    randomUUID(): string;
  };
}
export {};
