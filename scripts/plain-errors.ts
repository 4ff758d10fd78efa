// Imported first by every operator script: whatever fails, even a bad setting found while the
// modules load, the user reads one sentence and gets a non-zero exit, never a stack trace.
process.setUncaughtExceptionCaptureCallback((error) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
