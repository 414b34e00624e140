export { main, buildProgram, type RunIo, type GlobalOpts } from './main.js';
export { CliError, EXIT_OK, EXIT_REJECTED, EXIT_USAGE } from './errors.js';
