export * from './core-api.js';
export { instantiateCore, instantiateCoreSync, coreModule } from './core.js';
