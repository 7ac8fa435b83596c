import { protocolSuite } from './protocol.suite.ts';

protocolSuite('next');
