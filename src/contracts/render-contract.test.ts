import { execFileSync } from 'node:child_process';
import soap from 'soap';
import { describe, expect, it } from 'vitest';
import { contractFilePath, renderWsdl, renderXsd, xsdUrl } from './render-contract.js';
import { SOAP_SERVICES } from './soap-services.js';

describe('contract files', () => {
  it('are well-formed and the XSDs compile (xmllint)', () => {
    for (const s of Object.values(SOAP_SERVICES)) {
      execFileSync('xmllint', ['--noout', contractFilePath(s.wsdlFile)], { stdio: 'pipe' });
      for (const x of s.xsdFiles) {
        // Validating the schema file against itself fails on the root, but only after it compiled: a broken schema
        // fails earlier with "failed to compile".
        let out = '';
        try {
          execFileSync('xmllint', ['--noout', '--schema', contractFilePath(x), contractFilePath(x)], { stdio: 'pipe' });
        } catch (e) {
          out = String((e as { stderr?: Buffer }).stderr);
        }
        expect(out, x).not.toMatch(/failed to compile/);
      }
    }
  });

  it('renderWsdl points the address and every XSD import at the base URL', () => {
    const wsdl = renderWsdl('VaccinationService-2_1', 'https://registry.example:9443/');
    expect(wsdl).toContain('<soap:address location="https://registry.example:9443/VaccinnetUPL/wupl/VaccinationService-2_1"/>');
    expect(wsdl).toContain('schemaLocation="https://registry.example:9443/VaccinnetUPL/wupl/VaccinationService-2_1?xsd=VaccinationService-2_1.xsd"');
    expect(wsdl).not.toContain('localhost:8443');
    const xsd = renderXsd('VaccinationService-2_1', 'VaccinationService-2_1.xsd', 'https://registry.example:9443');
    expect(xsd).toContain(`schemaLocation="${xsdUrl('VaccinationService-2_1', 'https://registry.example:9443', 'VaccinationService-2_1-message.xsd')}"`);
    expect(renderWsdl('UPLVaccinatieGegevens', 'http://127.0.0.1:1')).toContain('location="http://127.0.0.1:1/VaccinnetUPL/wupl/UPLVaccinatieGegevens"');
  });

  it("renderXsd serves only the service's own schemas", () => {
    expect(renderXsd('UPLVaccinatieGegevens', 'UPLVaccinatieGegevens.xsd', 'http://x')).toContain(
      'targetNamespace="http://www.vaccinnet.be/wupl/UPLVaccinatieGegevens"',
    );
    expect(renderXsd('UPLVaccinatieGegevens', 'VaccinationService-2_1.xsd', 'http://x')).toBeUndefined();
    expect(renderXsd('VaccinationService-2_1', '../../../package.json', 'http://x')).toBeUndefined();
  });
});

describe('the soap npm client reads the WSDL files from disk', () => {
  it('RegistratieService: three operations with the contract input elements', async () => {
    const client = await soap.createClientAsync(contractFilePath('VaccinationService-2_1.wsdl'));
    const port = client.describe().VaccinationService.VaccinationServicePort;
    expect(Object.keys(port)).toEqual(['AddVaccinations', 'RemoveVaccination', 'GetVaccinations']);
    const keys = (op: string): string[] => Object.keys(port[op].input).filter((k) => !k.startsWith('target'));
    expect(keys('AddVaccinations')).toEqual(['SoftwareId', 'VaccinnetId', 'PatientId', 'Base64EncodedKmehrmessage[]']);
    expect(keys('RemoveVaccination')).toEqual(['SoftwareId', 'VaccinnetId', 'PatientId', 'VaccinationId']);
    expect(keys('GetVaccinations')).toEqual(['SoftwareId', 'VaccinnetId', 'PatientId', 'vaccinationDateSince']);
    expect(port.GetVaccinations.input.vaccinationDateSince).toBe('xs:date');
    expect(Object.keys(port.AddVaccinations.output).filter((k) => !k.startsWith('target'))).toEqual(['Status', 'PatientId', 'Results[]']);
  });

  it('BatchUpload: three operations; deliveries take extraInfo (the KMEHR travels as xs:any)', async () => {
    const client = await soap.createClientAsync(contractFilePath('UPLVaccinatieGegevens.wsdl'));
    const port = client.describe().UPLVaccinatieGegevens.UPLVaccinatieGegevensPort;
    expect(Object.keys(port)).toEqual(['AanleverenVaccinatieGegevens', 'AanvullingVaccinatieGegevens', 'ResultaatVerwerkingVaccinatieGegevens']);
    expect(port.AanleverenVaccinatieGegevens.input.extraInfo).toMatchObject({ type: 'xs:string', pakket: 'xs:string' });
    expect(port.ResultaatVerwerkingVaccinatieGegevens.input).toMatchObject({ requestId: 'xs:string', gebruikersId: 'xs:string' });
    expect(Object.keys(port.ResultaatVerwerkingVaccinatieGegevens.output)).toEqual(expect.arrayContaining(['folderResult[]', 'foutCode', 'foutOmschrijving']));
  });
});
