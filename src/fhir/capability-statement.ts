import type { CapabilityStatement } from '@medplum/fhirtypes';
import { BE_VACCINATION_PROFILE, FHIR_JSON, SYSTEM } from './fhir-systems.js';
import { MAX_COUNT } from './search-parameters.js';

/** What `/fhir` really does, no more (docs/fhir.md): the test suite checks each claim against the routes. */
export function capabilityStatement(baseUrl: string, date: string): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date,
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: [FHIR_JSON],
    implementation: { description: 'Vaccinnet registry: BeVaccination read and write over the registry core', url: baseUrl },
    software: { name: 'vaccinnet' },
    rest: [
      {
        mode: 'server',
        documentation: `Mutual TLS with an eHealth-style certificate on every call but this one; the caller's softwareID in the X-Vaccinnet-Software-Id header. Paging: _count (at most ${MAX_COUNT}) and the next/previous links. Unknown search parameters are refused (400).`,
        security: { cors: false, description: 'Mutual TLS (client certificate), as the SOAP services; the same profiles and softwareIDs.' },
        resource: [
          {
            type: 'Immunization',
            supportedProfile: [BE_VACCINATION_PROFILE],
            interaction: [{ code: 'read' }, { code: 'search-type' }, { code: 'create' }, { code: 'delete' }],
            versioning: 'no-version',
            readHistory: false,
            updateCreate: false,
            conditionalCreate: false,
            conditionalDelete: 'not-supported',
            searchParam: [
              {
                name: 'patient',
                type: 'reference',
                documentation: `Required, chained on identifier only: patient.identifier=${SYSTEM.ssin}|<SSIN>`,
              },
              { name: 'date', type: 'date', documentation: 'Administration date; prefixes eq, ge, le, gt, lt; repeat for a range' },
              { name: 'vaccine-code', type: 'token', documentation: 'vaccineCode coding ([system]|code), e.g. SNOMED CT or a CD-VACCINEINDICATION code' },
            ],
          },
          {
            type: 'Patient',
            interaction: [{ code: 'search-type' }],
            searchParam: [{ name: 'identifier', type: 'token', documentation: `Required: identifier=${SYSTEM.ssin}|<SSIN>` }],
          },
        ],
      },
    ],
  };
}
