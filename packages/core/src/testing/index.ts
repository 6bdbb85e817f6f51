/** Test helpers shared by the packages' test suites: a real moto server and a planted organisation. */
export { motoAvailable, motoServerOnPath, startMoto, type MotoServer } from './moto.js';
export { buildMotoOrg, plantScenario, MANAGEMENT_ACCOUNT, TEST_CREDENTIALS, type MotoOrg, type PlantedScenario } from './moto-org.js';
