/** Shared by the global setup (which seeds the template) and the test files. */
export const TEST_PASSWORD = 'Test-pass-2026!';
export const TEST_MASTER_KEY = Buffer.alloc(32, 7).toString('base64');
export const TEST_ARGON2_KIB = 4096;
export const TEST_PATIENTS = 60;
