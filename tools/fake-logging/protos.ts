import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/**
 * The Logging API's service definition from the protos the installed client ships
 * (`@google-cloud/logging` -> `@google-cloud/logging-api`, common protos from `google-gax`).
 */
export function loggingServiceDefinition(): grpc.ServiceDefinition {
  const fromLogging = createRequire(createRequire(import.meta.url).resolve('@google-cloud/logging/package.json'));
  const apiProtos = join(dirname(fromLogging.resolve('@google-cloud/logging-api/package.json')), 'build', 'protos');
  const gaxMain = fromLogging.resolve('google-gax');
  const gaxProtos = join(gaxMain.slice(0, gaxMain.lastIndexOf(`${sep}build${sep}`)), 'build', 'protos');
  const definition = protoLoader.loadSync('google/logging/v2/logging.proto', {
    includeDirs: [apiProtos, gaxProtos],
    keepCase: false,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const loaded = grpc.loadPackageDefinition(definition) as unknown as {
    google: { logging: { v2: { LoggingServiceV2: grpc.ServiceClientConstructor } } };
  };
  return loaded.google.logging.v2.LoggingServiceV2.service;
}
