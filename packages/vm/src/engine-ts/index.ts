export { createTsEngine, type TsRunRequest } from './ts-engine.js';
