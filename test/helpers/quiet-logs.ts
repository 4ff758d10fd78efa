// Runs before each test file: warnings and errors only, and no metric lines, so a run's output is
// the tests' own. A test about logs or metrics turns them up before it imports the service.
process.env.CABINET_LOG_LEVEL = 'WARN';
process.env.CABINET_METRICS = 'off';
