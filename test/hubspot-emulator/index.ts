export * from './server';
export * from './store';
export { OpenApiContract, findSpecDir } from './contract';
export { seedCrm, type SeedRequest } from './seed';
