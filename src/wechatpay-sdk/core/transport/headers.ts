/** fetch `Headers`, or Node/Express `req.headers` (any case, arrays for repeated headers). */
export type WechatPayHeaders = Pick<Headers, 'get'> | Readonly<Record<string, string | string[] | undefined>>;

function isFetchHeaders(headers: WechatPayHeaders): headers is Pick<Headers, 'get'> {
  return typeof (headers as Partial<Headers>).get === 'function';
}

/** Case-insensitive; an empty value counts as absent. */
export function readHeader(headers: WechatPayHeaders, name: string): string | undefined {
  let value: string | string[] | null | undefined;
  if (isFetchHeaders(headers)) {
    value = headers.get(name);
  } else {
    const lower = name.toLowerCase();
    value = Object.entries(headers).find(([key]) => key.toLowerCase() === lower)?.[1];
  }
  const first = Array.isArray(value) ? value[0] : value;
  return first ? first : undefined;
}
