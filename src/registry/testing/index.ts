/** Registry fixtures for tests of every layer (SOAP, web, CLI): personas, their messages, test clocks and ids. */
export * from '../demo-personas.js';
export * from './persona-messages.js';
export * from './test-ports.js';
