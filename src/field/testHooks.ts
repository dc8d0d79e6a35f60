// What the field app shows the e2e tests on window (tsconfig.test.json includes this file for them).
import type { SwState } from './registerSw.ts';

declare global {
  interface Window {
    /** The service worker's state. */
    __fieldSw?: SwState;
  }
}
