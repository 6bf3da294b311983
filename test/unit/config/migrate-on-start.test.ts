import { ConfigError, loadConfig } from '../../../src/config/env';

describe('MIGRATE_ON_START', () => {
  it('defaults to true, so a single instance migrates as it starts', () => {
    expect(loadConfig({}).migrateOnStart).toBe(true);
  });

  it('is false when migrations are a release step', () => {
    expect(loadConfig({ MIGRATE_ON_START: 'false' }).migrateOnStart).toBe(false);
  });

  it('rejects anything but true or false', () => {
    expect(() => loadConfig({ MIGRATE_ON_START: 'no' })).toThrow(ConfigError);
    expect(() => loadConfig({ MIGRATE_ON_START: 'no' })).toThrow(/MIGRATE_ON_START must be one of true, false, got "no"/);
  });
});
