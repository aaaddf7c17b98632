/** Connection lists as the server extension sends them (see openapi.yaml). */

export const OPENBIS_CONNECTIONS = [
  {
    name: 'institute',
    url: 'https://openbis.example.org',
    verifyCertificates: true,
    insecureHttp: false,
    username: 'alice',
    auth: 'password',
    preset: true,
    hasSecret: true,
    status: 'connected',
    loggedInAs: 'alice',
    lastError: null
  },
  {
    name: 'test-instance',
    url: 'https://openbis-test.example.org:8443',
    verifyCertificates: true,
    insecureHttp: false,
    username: null,
    auth: 'token',
    preset: false,
    hasSecret: false,
    status: 'expired',
    loggedInAs: null,
    lastError: 'The session expired; log in again.'
  }
];

export const REANA_CONNECTIONS = [
  {
    name: 'reana-cern',
    url: 'https://reana.cern.ch',
    verifyCertificates: true,
    source: 'config',
    readOnly: true,
    hasToken: true,
    account: {
      email: 'alice@example.org',
      fullName: null,
      username: 'alice',
      serverVersion: '0.9.4'
    },
    checkedAt: 1795300000
  },
  {
    name: 'local',
    url: 'https://localhost:30443',
    verifyCertificates: false,
    source: 'user',
    readOnly: false,
    hasToken: false,
    account: null,
    checkedAt: null
  }
];
