import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFromEnv, parseConfig } from '../../src/config.js';
import { checkWebConfig } from '../../src/http/deps.js';

describe('the web block of the config', () => {
  it('has working defaults: links to the local server, the form on, no link key yet', () => {
    const { web } = parseConfig({});
    expect(web).toMatchObject({ baseUrl: 'http://127.0.0.1:8080', linkKeys: [], statusLinkDays: 90, form: { enabled: true, maxAttachments: 3, perAddressPerHour: 5 } });
    expect(() => checkWebConfig(parseConfig({}))).toThrow('the web surface needs a link key: set web.linkKeys (at least 32 random characters each) or web.linkKeysSecretArn');
  });

  it('says which key is wrong and why', () => {
    expect(() => parseConfig({ web: { baseUrl: 'https://help.example/' } })).toThrow(/web\.baseUrl: expected an http\(s\) URL without a trailing slash/);
    expect(() => parseConfig({ web: { linkKeys: ['short'] } })).toThrow('web.linkKeys.0: a link key needs at least 32 characters');
    expect(() => parseConfig({ web: { form: { attachmentTypes: ['exe'] } } })).toThrow(/web\.form\.attachmentTypes\.0: expected a content type/);
    expect(() => parseConfig({ web: { linkKeysSecretArn: 'my-secret' } })).toThrow(/web\.linkKeysSecretArn: expected a Secrets Manager secret ARN/);
    expect(() => parseConfig({ web: { baseURL: 'https://x' } })).toThrow(/unknown key "baseURL" in web \(did you mean "baseUrl"\?\)/);
  });

  it('takes web.baseUrl from TICKETING_WEB_BASE_URL on Lambda, where the stack learns it only once deployed', () => {
    const env = { TICKETING_CONFIG: JSON.stringify({ teamName: 'Northwind IT', web: { statusLinkDays: 30 } }), TICKETING_WEB_BASE_URL: 'https://k3v9q2x1ab.execute-api.eu-west-1.amazonaws.com/' };
    expect(loadConfigFromEnv(env).web).toMatchObject({ baseUrl: 'https://k3v9q2x1ab.execute-api.eu-west-1.amazonaws.com', statusLinkDays: 30 });
    expect(loadConfigFromEnv({ TICKETING_WEB_BASE_URL: 'https://help.northwind.example' }).web.baseUrl).toBe('https://help.northwind.example');
    expect(() => loadConfigFromEnv({ TICKETING_WEB_BASE_URL: 'not a url' })).toThrow(ConfigError);
  });
});
