// Todas las operaciones GraphQL de la página /admin, cada una con nombre (ver
// test/web/queries.test.ts).

const KEY_FIELDS = 'id label prefix scope createdAt lastUsedAt revokedAt active usage { requestsToday requestsTotal }';

/** Todo lo que muestra el panel: fuentes con sus claves, y las claves de administración. */
export const ADMIN_PANEL = `query AdminPanel {
  viewer { keyId label isAdmin }
  sources {
    id name description endpoints status unlimited configured keyPrefix
    health { circuit recentLatencyMs lastError { kind message at } }
    usage { requestsToday requestsTotal }
    keys { ${KEY_FIELDS} }
  }
  adminKeys: apiKeys(scope: "*") { ${KEY_FIELDS} }
}`;

/**
 * Si la clave de administración es de solo lectura. Va aparte: un servidor sin claves de solo
 * lectura no tiene el campo, y entonces ninguna clave lo es.
 */
export const ADMIN_ACCESS = `query AdminAccess {
  viewer { readOnly }
}`;

export const SET_SOURCE_STATUS = `mutation SetSourceStatus($sourceId: String!, $status: SourceStatus!) {
  setSourceStatus(sourceId: $sourceId, status: $status) { id status }
}`;

export const ROTATE_SOURCE_KEY = `mutation RotateSourceKey($sourceId: String!) {
  rotateSourceKey(sourceId: $sourceId) { key apiKey { id prefix } }
}`;

/** Una clave más para una fuente, o de administración con `sourceId: "*"`. */
export const CREATE_KEY = `mutation CreateKey($sourceId: String!, $label: String) {
  createSourceKey(sourceId: $sourceId, label: $label) { key apiKey { id prefix label scope } }
}`;

export const REVOKE_KEY = `mutation RevokeKey($keyId: ID!) {
  revokeKey(keyId: $keyId) { id active revokedAt }
}`;

/** «Probar»: una llamada real y barata a la fuente, ahora. */
export const CHECK_SOURCE = `query CheckSource($sourceId: String!) {
  checkSource(sourceId: $sourceId) { sourceId ok latencyMs errorKind message checkedAt }
}`;
