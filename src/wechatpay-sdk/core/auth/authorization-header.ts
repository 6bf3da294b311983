export const AUTHORIZATION_SCHEME = 'WECHATPAY2-SHA256-RSA2048';

export interface AuthorizationFields {
  mchid: string;
  nonce_str: string;
  timestamp: string;
  serial_no: string;
  signature: string;
}

const FIELD_NAMES: readonly (keyof AuthorizationFields)[] = ['mchid', 'nonce_str', 'timestamp', 'serial_no', 'signature'];

export function formatAuthorization(fields: AuthorizationFields): string {
  return `${AUTHORIZATION_SCHEME} ${FIELD_NAMES.map((name) => `${name}="${fields[name]}"`).join(',')}`;
}

/** Parameter order is free; every field is required. Returns undefined for anything else. */
export function parseAuthorization(header: string | undefined): AuthorizationFields | undefined {
  if (!header?.startsWith(`${AUTHORIZATION_SCHEME} `)) return undefined;
  const found = new Map<string, string>();
  for (const match of header.slice(AUTHORIZATION_SCHEME.length + 1).matchAll(/([a-z_]+)="([^"]*)"/g)) {
    found.set(match[1] as string, match[2] as string);
  }
  const fields: Partial<AuthorizationFields> = {};
  for (const name of FIELD_NAMES) {
    const value = found.get(name);
    if (!value) return undefined;
    fields[name] = value;
  }
  return fields as AuthorizationFields;
}
