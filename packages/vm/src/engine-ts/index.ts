export { createTsEngine, type TsEngineOptions, type TsRunRequest } from './ts-engine.js';
