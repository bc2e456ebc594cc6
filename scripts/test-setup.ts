/**
 * `pretest`: provides the system programs the tests need (see system-programs.ts) and prints one
 * line saying what it did, or fails with one line naming the package to install. It starts no
 * service: the tests start their own instances on free ports.
 */
import { localHost, provideSystemPrograms, SetupError, testPrograms } from "./system-programs.ts";

try {
  console.log(provideSystemPrograms(testPrograms, localHost));
} catch (error) {
  if (!(error instanceof SetupError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
